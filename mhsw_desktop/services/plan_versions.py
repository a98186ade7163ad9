"""What treatment-plan and safety-plan versions share: signing one, and the client's
signature date recorded once after it."""

from __future__ import annotations

from datetime import date, datetime

from mhsw_desktop.domain.plans import SafetyPlanVersion, TreatmentPlanVersion, VersionStatus
from mhsw_desktop.errors import ValidationError
from mhsw_desktop.services.practitioner import Signer

PlanVersion = TreatmentPlanVersion | SafetyPlanVersion


def check_signer(signer: Signer) -> None:
    if not signer.name.strip():
        raise ValidationError({"signer": "a signer's name is required"})


def mark_signed(row: PlanVersion, signer: Signer, signed_at: datetime, digest: str) -> None:
    """Copy the signer as they are today onto ``row`` with its content hash."""
    row.status = VersionStatus.SIGNED.value
    row.signed_at = signed_at
    row.signer_name = signer.name
    row.signer_credentials = signer.credentials
    row.signer_licence = signer.licence
    row.content_hash = digest


def set_client_signature(row: PlanVersion, signed_on: date, today: date, what: str) -> None:
    """The day the client signed ``row`` (a signed version of ``what``, e.g. "the plan");
    refused before the practitioner signed, a second time, in the future or before the
    version's date."""
    if row.signed_at is None:
        raise ValidationError({"client_signed_on": f"sign {what} yourself before the client does"})
    if row.client_signed_on is not None:
        raise ValidationError(
            {"client_signed_on": f"was already recorded ({row.client_signed_on.isoformat()})"}
        )
    if signed_on > today:
        raise ValidationError({"client_signed_on": f"{signed_on.isoformat()} is in the future"})
    if signed_on < row.plan_date:
        raise ValidationError(
            {"client_signed_on": f"is before the plan date ({row.plan_date.isoformat()})"}
        )
    row.client_signed_on = signed_on
