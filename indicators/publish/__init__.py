"""The publication: every figure a page, pack or download shows, built and stored at load."""
