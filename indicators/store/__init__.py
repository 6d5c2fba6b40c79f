"""Store: the one sandboxed way to read a warehouse, analysts' SQL bounds, what it holds."""
