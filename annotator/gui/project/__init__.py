"""Projects, coders and the document list."""
