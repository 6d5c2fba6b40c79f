"""Streamlit glue every page stands on: cache, selection, sign-in gate, layout."""
