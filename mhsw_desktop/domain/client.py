"""The client record and its status."""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import Boolean, CheckConstraint, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from mhsw_desktop.domain.base import Base, Record


class ClientStatus(enum.StrEnum):
    ACTIVE = "active"
    ON_HOLD = "on_hold"
    DISCHARGED = "discharged"

    @property
    def label(self) -> str:
        return {"active": "Active", "on_hold": "On hold", "discharged": "Discharged"}[self.value]


# Field limits, shared by the model, validation and the form widgets.
LIMITS: dict[str, int] = {
    "legal_first_name": 100,
    "legal_last_name": 100,
    "preferred_name": 100,
    "pronouns": 40,
    "phone": 40,
    "email": 254,
    "address": 500,
    "emergency_contact_name": 200,
    "emergency_contact_phone": 40,
    "important_to_know": 4000,
    "discharge_reason": 1000,
}


class Client(Record, Base):
    __tablename__ = "clients"
    __table_args__ = (
        CheckConstraint("status IN ('active', 'on_hold', 'discharged')", name="status"),
        CheckConstraint(
            "(status = 'discharged') = (discharge_date IS NOT NULL)", name="discharge_date"
        ),
        Index("ix_clients_sort_name", "sort_name"),
        Index("ix_clients_dob", "date_of_birth"),
        Index("ix_clients_status", "status"),
    )

    legal_first_name: Mapped[str] = mapped_column(String(100))
    legal_last_name: Mapped[str] = mapped_column(String(100))
    preferred_name: Mapped[str] = mapped_column(String(100), default="")
    pronouns: Mapped[str] = mapped_column(String(40), default="")
    date_of_birth: Mapped[date]
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    emergency_contact_name: Mapped[str] = mapped_column(String(200), default="")
    emergency_contact_phone: Mapped[str] = mapped_column(String(40), default="")
    intake_date: Mapped[date]
    status: Mapped[str] = mapped_column(String(16), default=ClientStatus.ACTIVE.value)
    discharge_date: Mapped[date | None] = mapped_column(default=None)
    discharge_reason: Mapped[str] = mapped_column(Text, default="")
    important_to_know: Mapped[str] = mapped_column(Text, default="")
    #: a code of ``resources/i18n/languages.json`` (``domain/language.py``)
    preferred_language: Mapped[str] = mapped_column(String(16), default="en", server_default="en")
    interpreter_needed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: which language the client's documents print in (``DocumentLanguage``)
    document_language: Mapped[str] = mapped_column(
        String(10), default="client", server_default="client"
    )
    #: folded names, phone, email and birth date, kept in step by the services
    search_key: Mapped[str] = mapped_column(Text, default="")
    #: folded "last NUL first NUL preferred": lists come sorted as people read names
    sort_name: Mapped[str] = mapped_column(Text, default="")
