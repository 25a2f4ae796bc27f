"""Packaged resources (stylesheet, icons, starter codebook), shipped as annotator.resources."""
