"""Every way opening a vault can fail, each with its own plain-language message."""

from __future__ import annotations

from mhsw_desktop.errors import UserFacingError


class VaultError(UserFacingError):
    """Base of vault failures. Messages name no client and no secret."""


class WrongPassphrase(VaultError):
    exit_code = 3

    def __init__(self) -> None:
        super().__init__("The passphrase is not correct for this vault.")


class WrongRecoveryKey(VaultError):
    exit_code = 3

    def __init__(self, detail: str = "That recovery key does not open this vault.") -> None:
        super().__init__(detail)


class KeyFileMissing(VaultError):
    def __init__(self, folder: str) -> None:
        super().__init__(
            f"The key file is missing from {folder}. Without it the vault cannot be opened; "
            "restore it from a backup of the vault folder."
        )


class KeyFileDamaged(VaultError):
    def __init__(self, detail: str) -> None:
        super().__init__(f"The vault's key file is damaged ({detail}).")


class KeyFileMismatch(VaultError):
    def __init__(self) -> None:
        super().__init__(
            "The key file belongs to a different vault than the database beside it. "
            "Put back this vault's own key file."
        )


class VaultCorrupt(VaultError):
    def __init__(self, detail: str) -> None:
        super().__init__(
            f"The vault database is damaged ({detail}). Nothing was changed; "
            "restore it from a backup."
        )


class VaultTooNew(VaultError):
    def __init__(self, what: str) -> None:
        super().__init__(
            f"This vault was written by a newer version of MHSW Desktop ({what}). "
            "Install the newer version to open it; nothing was changed."
        )


class VaultNotWritable(VaultError):
    def __init__(self, folder: str) -> None:
        super().__init__(
            f"The vault folder {folder} cannot be written to. Check its permissions or "
            "whether the drive is read-only."
        )


class VaultNotFound(VaultError):
    def __init__(self, folder: str) -> None:
        super().__init__(f"No vault was found in {folder}.")


class VaultExists(VaultError):
    def __init__(self, folder: str) -> None:
        super().__init__(f"{folder} already holds a vault; choose an empty folder.")


class FolderNotEmpty(VaultExists):
    def __init__(self, folder: str) -> None:
        VaultError.__init__(self, f"{folder} is not empty; choose an empty or new folder.")


class MigrationFailed(VaultError):
    def __init__(self, detail: str) -> None:
        super().__init__(
            f"The vault could not be upgraded to this version's format ({detail}). "
            "Nothing in it was changed; a copy from before the attempt is in its "
            "backups folder."
        )


class WeakPassphrase(VaultError):
    def __init__(self, reason: str) -> None:
        super().__init__(f"That passphrase is too weak: {reason}")


class VaultLocked(VaultError):
    def __init__(self) -> None:
        super().__init__("The vault is locked.")


class WriteFailed(VaultError):
    """A write the vault needed failed (a full disk, a failing drive): nothing was saved."""

    def __init__(self, folder: str, reason: str) -> None:
        super().__init__(
            f"The vault in {folder} could not be saved to: {reason}. Nothing of this change "
            "was saved; free some space or check the drive, then try again."
        )


def write_failure_reason(exc: OSError) -> str:
    """Plain words for an operating-system write failure."""
    import errno

    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return "the disk is full"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "the folder cannot be written to"
    if exc.errno == errno.EIO:
        return "the drive reported a write error"
    return exc.strerror or type(exc).__name__
