"""ReportLab report builders, one per report, fed plain dataclasses from the services.

This module itself stays light (no ReportLab import) so the command line can name the
report kinds without paying for loading the PDF machinery.
"""

from __future__ import annotations

#: every report the `mhsw report KIND` command names, in the order the help lists them
KINDS: tuple[str, ...] = (
    "session-summary",
    "face-sheet",
    "record",
    "treatment-plan",
    "safety-plan",
    "wallet-card",
    "genogram",
    "measures",
    "caseload",
    "disclosures",
    "phq9-form",
    "gad7-form",
    "next-steps",
    "resources",
    "treatment-consent-form",
    "telehealth-consent-form",
    "release-form",
)

#: the documents given to the client: they print in the client's language (or in both
#: the client's and English); every other report is the practitioner's, in English
CLIENT_FACING: frozenset[str] = frozenset(
    {
        "safety-plan",
        "wallet-card",
        "phq9-form",
        "gad7-form",
        "next-steps",
        "resources",
        "treatment-consent-form",
        "telehealth-consent-form",
        "release-form",
    }
)

#: kinds whose feature is not in this version yet, and what they wait for
NOT_YET: dict[str, str] = {
    "genogram": "family contacts and the genogram",
}

#: kinds that are about one client (the others cover the caseload or one day)
PER_CLIENT: frozenset[str] = frozenset(KINDS) - {"caseload"}


def not_yet_message(kind: str) -> str:
    return (
        f"The {kind} report is not available yet: {NOT_YET[kind]} are not part of this "
        "version of MHSW Desktop. Nothing was written."
    )
