"""Use cases over an open vault: validate, write, query. Each takes an explicit Session."""

# Every change a service makes is written to the audit log (services/audit.py).
from mhsw_desktop.services import audit as _audit

_audit.install()
