"""Community resources (an offline directory of local services) and client referrals to them."""

from __future__ import annotations

import enum
import uuid
from collections.abc import Iterable
from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from mhsw_desktop.domain.base import Base, Record


class ResourceCategory(enum.StrEnum):
    """What a community resource offers (a resource may offer several)."""

    FOOD = "food"
    HOUSING = "housing"
    TRANSPORT = "transport"
    BENEFITS = "benefits"
    CRISIS = "crisis"
    SUPPORT_GROUPS = "support_groups"
    LEGAL_AID = "legal_aid"
    SUBSTANCE_USE_TREATMENT = "substance_use_treatment"

    @property
    def label(self) -> str:
        return {
            "support_groups": "Support groups",
            "legal_aid": "Legal aid",
            "substance_use_treatment": "Substance-use treatment",
        }.get(self.value, self.value.capitalize())


class ReferralStatus(enum.StrEnum):
    MADE = "made"
    ACCEPTED = "accepted"
    COMPLETED = "completed"
    DECLINED = "declined"
    NO_RESPONSE = "no_response"

    @property
    def label(self) -> str:
        return {"no_response": "No response"}.get(self.value, self.value.capitalize())


RESOURCE_LIMITS: dict[str, int] = {
    "name": 200,
    "services": 4000,
    "eligibility": 2000,
    "hours": 1000,
    "phone": 40,
    "email": 254,
    "website": 300,
    "address": 500,
    "languages": 500,
    "notes": 4000,
    "referral_notes": 4000,
}


def _in(column: str, values: Iterable[str]) -> str:
    quoted = ", ".join(f"'{value}'" for value in values)
    return f"{column} IN ({quoted})"


class CommunityResource(Record, Base):
    """A local service in the directory, shared by every client."""

    __tablename__ = "community_resources"
    __table_args__ = (Index("ix_community_resources_sort_name", "sort_name"),)

    name: Mapped[str] = mapped_column(String(200))
    services: Mapped[str] = mapped_column(Text, default="")
    #: category values, comma-separated in declaration order (as releases store theirs)
    categories: Mapped[str] = mapped_column(Text, default="")
    eligibility: Mapped[str] = mapped_column(Text, default="")
    hours: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    #: the languages served, as written ("English, Spanish")
    languages: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    #: the folded name: the order the directory lists in
    sort_name: Mapped[str] = mapped_column(Text, default="")


class Referral(Record, Base):
    """A client referred to a community resource, and what became of it."""

    __tablename__ = "referrals"
    __table_args__ = (
        CheckConstraint(_in("status", ReferralStatus), name="status"),
        Index("ix_referrals_client_date", "client_id", "referred_on"),
        Index("ix_referrals_resource", "resource_id"),
        Index("ix_referrals_followup", "followup_date"),
    )

    client_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("clients.id"))
    resource_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("community_resources.id"))
    referred_on: Mapped[date]
    status: Mapped[str] = mapped_column(String(20), default=ReferralStatus.MADE.value)
    #: the day the status last changed
    status_date: Mapped[date | None] = mapped_column(default=None)
    followup_date: Mapped[date | None] = mapped_column(default=None)
    #: the follow-up task, kept in step with ``followup_date`` by the services
    followup_task_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("tasks.id"), default=None
    )
    #: what the referral is for, and what came of it
    notes: Mapped[str] = mapped_column(Text, default="")
