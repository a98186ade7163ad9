"""One way in for every report: a request is checked, its data gathered, its PDF built.

The app and the `mhsw report` command both come through here, so a report prints the
same from either. Everything happens in memory; writing the bytes is the caller's choice.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from mhsw_desktop.errors import NotFoundError, UserFacingError, ValidationError
from mhsw_desktop.reports import KINDS, NOT_YET, PER_CLIENT, not_yet_message
from mhsw_desktop.reports.base import Pdf
from mhsw_desktop.services import report_data as data
from mhsw_desktop.services.clients import StatusFilter
from mhsw_desktop.services.notes import get_note

Progress = Callable[[int, int], None]


class ReportUnavailable(UserFacingError):
    """A report whose feature is not in this version (the command exits 1)."""


@dataclass(frozen=True)
class ReportRequest:
    kind: str
    client_id: uuid.UUID | None = None
    #: session-summary: this note (otherwise the client's latest, or every note of ``day``)
    note_id: uuid.UUID | None = None
    day: date | None = None
    #: caseload: which clients (as `clients list --status`)
    status: StatusFilter = "current"
    #: psychotherapy (process) notes go in only when asked for in this very request
    include_psychotherapy: bool = False
    #: a copy for a collaborator, through the care team's sharing guard
    for_collaborator: uuid.UUID | None = None


def check(request: ReportRequest) -> None:
    """Refuse a request that cannot be met, before anything is read."""
    if request.kind not in KINDS:
        raise ValidationError({"kind": f"must be one of {', '.join(KINDS)}"})
    if request.kind in NOT_YET:
        raise ReportUnavailable(not_yet_message(request.kind))
    if request.for_collaborator is not None:
        raise ReportUnavailable(
            "Reports for a collaborator go through the care team's releases of information, "
            "which are not part of this version yet. Nothing was written."
        )
    batch = request.kind == "session-summary" and request.day is not None
    if request.kind in PER_CLIENT and request.client_id is None and not batch:
        raise ValidationError({"client": "is required for this report"})


def make_report(
    session: Session, request: ReportRequest, *, progress: Progress | None = None
) -> Pdf:
    """The PDF of ``request`` (ReportUnavailable, ValidationError, NotFoundError)."""
    check(request)
    kind = request.kind
    if kind == "session-summary":
        return _session_summaries(session, request)
    if kind == "face-sheet":
        from mhsw_desktop.reports import face_sheet

        assert request.client_id is not None
        return face_sheet.build(data.face_sheet_data(session, request.client_id))
    if kind == "record":
        from mhsw_desktop.reports import record

        assert request.client_id is not None
        gathered = data.record_data(
            session, request.client_id, include_psychotherapy=request.include_psychotherapy
        )
        return record.build(gathered, progress)
    if kind == "caseload":
        from mhsw_desktop.reports import caseload

        return caseload.build(data.caseload_data(session, request.status))
    raise AssertionError(f"unhandled report kind {kind}")  # check() lets only those through


def summary_notes(session: Session, request: ReportRequest) -> list[uuid.UUID]:
    """Which notes a session-summary request prints, in order."""
    if request.note_id is not None:
        if request.client_id is not None:
            detail = get_note(session, request.note_id)
            if detail.client_id != request.client_id:
                raise NotFoundError("That note belongs to another client.")
        return [request.note_id]
    if request.day is not None:
        ids = data.notes_on(session, request.day, client_id=request.client_id)
        if not ids:
            raise NotFoundError(f"No session notes on {request.day.isoformat()}.")
        return ids
    assert request.client_id is not None
    return [data.latest_note_id(session, request.client_id)]


def _session_summaries(session: Session, request: ReportRequest) -> Pdf:
    from mhsw_desktop.reports import session_summary

    items = [
        data.session_summary_data(
            session, note_id, include_psychotherapy=request.include_psychotherapy
        )
        for note_id in summary_notes(session, request)
    ]
    return session_summary.build_many(items)


def suggested_filename(request: ReportRequest, today: date | None = None) -> str:
    """A file name without any client's name in it (file names end up in recent lists)."""
    when = (request.day or today or date.today()).isoformat()
    return f"{request.kind}-{when}.pdf"
