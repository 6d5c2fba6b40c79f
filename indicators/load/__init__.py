"""Load: extracts, reference tables and public files checked into a new warehouse, swapped in."""
