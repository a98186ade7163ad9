"""The encrypted vault: keys, the SQLCipher engine, migrations (no Qt here).

Import the submodules directly (``mhsw_desktop.vault.vault``…): this package file stays
empty so that light modules such as ``throttle`` or ``passphrase`` load no SQLAlchemy.
"""
