"""The built-in sample project's documents, shipped as annotator.sample_docs."""
