"""MHSW Desktop: encrypted, offline records for mental health social workers."""

__version__ = "0.1.0"
APP_NAME = "MHSW Desktop"
