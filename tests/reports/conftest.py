"""The services' real-vault fixture, for the report tests."""

from tests.services.conftest import vault

__all__ = ["vault"]
