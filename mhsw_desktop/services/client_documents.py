"""What the client's take-home sheets print: the next-steps sheet after a session and the
list of community resources, gathered as plain data (no Qt, no ReportLab).

Both end with the crisis lines: those of step 5 of the client's safety plan when there is
one (each default nobody edited given in the document's language), otherwise the default
crisis lines in that language. Nothing clinical is gathered: of a note, only the day of
the session, the next appointment and the homework the client agreed to.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from mhsw_desktop.domain.care_team import same_phone
from mhsw_desktop.domain.resources import ReferralStatus
from mhsw_desktop.errors import NotFoundError
from mhsw_desktop.services.notes import get_note
from mhsw_desktop.services.report_data import (
    ClientFacts,
    NoteInErrorError,
    PracticeHeader,
    client_facts,
    latest_note_id,
    practice_header,
)
from mhsw_desktop.services.resources import (
    OPEN_STATUSES,
    ResourceRow,
    get_resource,
    list_referrals,
)
from mhsw_desktop.services.safety_plans import (
    Contact,
    crisis_lines,
    in_language,
    safety_plan_data,
)

#: a referral closed this many days ago or less is still "recent" (its resource is listed)
RECENT_DAYS = 90
#: a bullet the practitioner typed at the start of a homework line (the sheet adds its own)
_TYPED_BULLET = re.compile(r"^[-*•–·]\s+")


@dataclass(frozen=True)
class HelpLines:
    """The phones a client can call between sessions."""

    contacts: tuple[Contact, ...]
    #: they are the client's own safety plan's (step 5), not the defaults
    from_safety_plan: bool


@dataclass(frozen=True)
class NextStepsData:
    practice: PracticeHeader
    client: ClientFacts
    note_id: uuid.UUID
    session_date: date
    #: local wall-clock time, as the note records it
    next_appointment: datetime | None
    #: the homework, one item per line, as typed (blank lines dropped)
    homework: tuple[str, ...]
    help: HelpLines


@dataclass(frozen=True)
class ResourceListData:
    practice: PracticeHeader
    client: ClientFacts
    resources: tuple[ResourceRow, ...]
    #: chosen by hand (``resource_ids``) rather than from the client's referrals
    chosen: bool
    help: HelpLines


def help_lines(
    session: Session, client_id: uuid.UUID, language: str, practice_phone: str = ""
) -> HelpLines:
    """The services with a phone in step 5 of the client's current safety plan, each
    unedited default in ``language``; the default crisis lines in ``language`` when the
    client has no plan (or its step 5 has no phone).

    A step-5 entry on ``practice_phone`` (the clinician, as a new plan starts) is left out:
    the sheets say how to reach the practice on their own.
    """
    try:
        plan = safety_plan_data(session, client_id)
    except NotFoundError:
        return HelpLines(crisis_lines(language), from_safety_plan=False)
    contacts = tuple(
        in_language(contact, language)
        for contact in plan.version.step("professional_contacts")
        if contact.phone and not (practice_phone and same_phone(contact.phone, practice_phone))
    )
    if not contacts:
        return HelpLines(crisis_lines(language), from_safety_plan=False)
    return HelpLines(contacts, from_safety_plan=True)


def homework_items(homework: str) -> tuple[str, ...]:
    """The homework one item per line: blank lines dropped, a typed bullet ("- ", "• ")
    taken off (the sheet draws its own), the rest as typed."""
    items = (_TYPED_BULLET.sub("", line.strip()) for line in homework.splitlines())
    return tuple(item for item in items if item)


def next_steps_data(
    session: Session, client_id: uuid.UUID, note_id: uuid.UUID | None, language: str
) -> NextStepsData:
    """The sheet of ``note_id`` (one of the client's notes) or of the client's latest note,
    signed or draft. NotFoundError for a note of another client or a client without
    notes; NoteInErrorError for a note marked entered in error."""
    client = client_facts(session, client_id)
    if note_id is None:
        try:
            note_id = latest_note_id(session, client_id)
        except NotFoundError:
            raise NotFoundError(
                "This client has no session notes yet: a next-steps sheet follows a session. "
                "Write the session's note first."
            ) from None
    detail = get_note(session, note_id)
    if detail.client_id != client.id:
        raise NotFoundError("That note belongs to another client.")
    if detail.entered_in_error_at is not None:
        raise NoteInErrorError()
    practice = practice_header(session)
    return NextStepsData(
        practice=practice,
        client=client,
        note_id=detail.id,
        session_date=detail.data.session_date,
        next_appointment=detail.data.next_appointment,
        homework=homework_items(detail.data.homework),
        help=help_lines(session, client_id, language, practice.phone),
    )


def referred_resources(
    session: Session, client_id: uuid.UUID, today: date | None = None
) -> tuple[ResourceRow, ...]:
    """The directory entries of the client's open referrals and of those made or closed in
    the last :data:`RECENT_DAYS` days (not declined ones), newest referral first, each
    once; entries since deleted from the directory are left out."""
    since = (today or date.today()) - timedelta(days=RECENT_DAYS)
    seen: set[uuid.UUID] = set()
    found: list[ResourceRow] = []
    for referral in list_referrals(session, client_id):
        if referral.resource_deleted or referral.resource_id in seen:
            continue
        latest = max(referral.referred_on, referral.status_date or referral.referred_on)
        is_open = referral.status in OPEN_STATUSES
        recent = latest >= since and referral.status != ReferralStatus.DECLINED
        if is_open or recent:
            seen.add(referral.resource_id)
            found.append(get_resource(session, referral.resource_id))
    return tuple(found)


def resource_list_data(
    session: Session,
    client_id: uuid.UUID,
    resource_ids: tuple[uuid.UUID, ...],
    language: str,
    *,
    today: date | None = None,
) -> ResourceListData:
    """The entries ``resource_ids`` (in that order, each once; NotFoundError for one not in
    the directory), or else those of the client's open and recent referrals (NotFoundError
    saying what to do when there are none)."""
    client = client_facts(session, client_id)
    if resource_ids:
        unique = tuple(dict.fromkeys(resource_ids))
        rows = tuple(get_resource(session, resource_id) for resource_id in unique)
    else:
        rows = referred_resources(session, client_id, today)
        if not rows:
            raise NotFoundError(
                "This client has no open or recent referrals to print. Choose the resources "
                "to give the client, or make a referral first. Nothing was written."
            )
    practice = practice_header(session)
    return ResourceListData(
        practice=practice,
        client=client,
        resources=rows,
        chosen=bool(resource_ids),
        help=help_lines(session, client_id, language, practice.phone),
    )
