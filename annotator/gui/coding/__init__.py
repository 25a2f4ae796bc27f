"""Reading and coding a document: the view, highlights, stripes, codings list, finding."""
