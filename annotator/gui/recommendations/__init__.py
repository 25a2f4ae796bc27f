"""Recommendations as records: coding details (fields), links, the register."""
