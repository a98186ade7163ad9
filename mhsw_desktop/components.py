"""The third-party components shipped in the build and their licences (shown in About)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Component:
    name: str
    licence: str
    purpose: str


COMPONENTS: tuple[Component, ...] = (
    Component("Qt 6 / PySide6", "LGPL-3.0", "windows, dialogs and printing"),
    Component("SQLCipher (through sqlcipher3)", "BSD-3-Clause / zlib", "the encrypted database"),
    Component("SQLAlchemy", "MIT", "typed models and queries"),
    Component("Alembic", "MIT", "schema migrations"),
    Component("cryptography", "Apache-2.0 or BSD-3-Clause", "Argon2id and AES-256-GCM"),
    Component("ReportLab and rl_accel", "BSD-3-Clause", "printed reports"),
    Component("DejaVu Sans fonts", "Bitstream Vera licence (permissive)", "fonts in reports"),
    Component("pypdf", "BSD-3-Clause", "password-protected (AES-256) PDF copies"),
    Component("pypdfium2 / PDFium", "Apache-2.0 or BSD-3-Clause", "print preview and printing"),
    Component("Pillow", "MIT-CMU (HPND)", "the practice logo"),
    Component("platformdirs", "MIT", "where the vault lives by default"),
    Component("zxcvbn (Python port)", "MIT", "passphrase strength feedback"),
    Component("simple-icd-10-cm", "MIT", "the ICD-10-CM code set for diagnoses"),
    Component(
        "vobject (with python-dateutil, pytz and six)",
        "Apache-2.0 (python-dateutil: Apache-2.0 or BSD-3-Clause; pytz, six: MIT)",
        "collaborators in and out as vCards",
    ),
    Component(
        "Babel (with the Unicode CLDR data)",
        "BSD-3-Clause (CLDR: Unicode licence)",
        "dates and numbers on client documents in their language",
    ),
    Component("phonenumbers (lite)", "Apache-2.0", "phone numbers on client documents"),
    Component("Python", "PSF-2.0", "the runtime"),
)
