"""Lines: each line of a page classified with its evidence, in-line junk, hard wraps."""
