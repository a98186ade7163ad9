"""Every mapped model, imported in one place so that the metadata is complete."""

from mhsw_desktop.domain.base import Base
from mhsw_desktop.domain.client import Client

__all__ = ["Base", "Client"]
