"""Inter-coder agreement and adjudication windows."""
