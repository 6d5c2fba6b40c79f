"""The review store: what people write beside the figures, kept apart from the warehouse.

A load rebuilds the warehouse and never opens this store, so no load can lose
a narrative or an action. Every change is a new row (who, when, what it
replaced): nothing is updated or deleted, and the history is the table
itself. SQLite in WAL mode beside the warehouse by default, PostgreSQL when
a DSN is configured (`settings`).
"""
