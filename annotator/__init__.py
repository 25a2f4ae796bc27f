"""annotator: hand-code policy texts with a codebook, coders and inter-coder agreement."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("annotator")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0.1.0"
