"""Known errors: things a user did or met, told in plain words (never bugs)."""

from __future__ import annotations


class UserFacingError(Exception):
    """An expected failure whose message is written for the practitioner.

    The message never contains client data, so it may be logged and shown as is.
    """

    #: exit code of the ``mhsw`` command for this kind of error
    exit_code: int = 1


class ValidationError(UserFacingError):
    """Input that breaks a data rule; ``errors`` maps each field to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = dict(errors)
        summary = "; ".join(f"{field.replace('_', ' ')}: {msg}" for field, msg in errors.items())
        super().__init__(f"Please correct: {summary}")


class NotFoundError(UserFacingError):
    """A record that was asked for by id does not exist (or was deleted)."""
