"""Typed SQLAlchemy models and pure rules (no Qt, no I/O beyond the session)."""
