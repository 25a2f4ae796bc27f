"""Answers from the coding: retrieval, search, matrices, charts, memos."""
