"""input: the raw folder (local or an fsspec URL), decoding to text, and HTML to lines."""
