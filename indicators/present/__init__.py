"""Presentation: the frames, sentences and charts the pages and the board pack show."""
