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

from mhsw_desktop.domain.care_team import Category, DisclosureMeans
from mhsw_desktop.errors import NotFoundError, UserFacingError, ValidationError
from mhsw_desktop.reports import CLIENT_FACING, KINDS, NOT_YET, PER_CLIENT, not_yet_message
from mhsw_desktop.reports.base import Pdf
from mhsw_desktop.reports.tongue import ENGLISH_ONLY, Tongue
from mhsw_desktop.services import report_data as data
from mhsw_desktop.services.clients import StatusFilter
from mhsw_desktop.services.notes import get_note
from mhsw_desktop.services.report_data import PreparedFor

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
    #: client documents: "en", "es"... or "both" (None: as the client prefers)
    lang: str | None = None
    #: phq9-form, gad7-form: the answers of this administration (None: a blank form)
    measure_id: uuid.UUID | None = None
    #: release-form: filled in from this release (None: blank, for the client to fill in)
    release_id: uuid.UUID | None = None
    #: resources: these entries of the directory (none: those the client was referred to)
    resource_ids: tuple[uuid.UUID, ...] = ()


def check(request: ReportRequest) -> None:
    """Refuse a request that cannot be met, before anything is read."""
    if request.kind not in KINDS:
        raise ValidationError({"kind": f"must be one of {', '.join(KINDS)}"})
    if request.kind in NOT_YET:
        raise ReportUnavailable(not_yet_message(request.kind))
    if request.lang is not None and request.kind not in CLIENT_FACING:
        raise ValidationError(
            {"lang": f"the {request.kind} report is the practitioner's record and is in English"}
        )
    batch = request.kind == "session-summary" and request.day is not None
    if request.kind in PER_CLIENT and request.client_id is None and not batch:
        raise ValidationError({"client": "is required for this report"})
    if request.for_collaborator is not None:
        if request.kind in NOT_FOR_COLLABORATORS:
            raise ValidationError({"for": NOT_FOR_COLLABORATORS[request.kind]})
        if request.client_id is None:
            raise ValidationError({"for": "a copy for a collaborator is about one client"})


#: reports that are never made for a collaborator, and why
NOT_FOR_COLLABORATORS = {
    "caseload": "a caseload list covers many clients and is never made for a collaborator",
    "disclosures": "the accounting of disclosures is the client's own record",
    "wallet-card": "the safety-plan wallet card is printed for the client only",
    **{
        kind: "a form or sheet for the client is printed for the client only"
        for kind in CLIENT_FACING - {"safety-plan", "wallet-card"}
    },
}

#: the modules that gather and build the newer client documents (``prepare`` in each)
CLIENT_DOCUMENTS = {
    "phq9-form": "mhsw_desktop.reports.measure_form",
    "gad7-form": "mhsw_desktop.reports.measure_form",
    "next-steps": "mhsw_desktop.reports.next_steps",
    "resources": "mhsw_desktop.reports.resource_list",
    "treatment-consent-form": "mhsw_desktop.reports.consent_forms",
    "telehealth-consent-form": "mhsw_desktop.reports.consent_forms",
    "release-form": "mhsw_desktop.reports.consent_forms",
}


def tongue_for(session: Session, request: ReportRequest, plan_language: str = "") -> Tongue:
    """The language(s) ``request`` prints in.

    The practitioner's reports are in English. A client document follows ``lang`` when
    it is given; otherwise a safety plan written in a language of its own
    (``plan_language``) prints in it, and any other document as the client prefers
    (English, the client's language, or both). A collaborator's copy is in English
    unless ``lang`` says otherwise.
    """
    from mhsw_desktop.domain.language import document_languages, requested_languages
    from mhsw_desktop.services.clients import get_client

    if request.kind not in CLIENT_FACING or request.client_id is None:
        return ENGLISH_ONLY
    client = get_client(session, request.client_id).data
    if request.lang is not None:
        return Tongue(requested_languages(request.lang, client.preferred_language))
    if request.for_collaborator is not None:
        return ENGLISH_ONLY
    if plan_language:  # the plan's own language leads; "both" still adds the English
        choice = "both" if client.document_language == "both" else "client"
        return Tongue(document_languages(plan_language, choice))
    return Tongue(document_languages(client.preferred_language, client.document_language))


Builder = Callable[[PreparedFor | None], Pdf]


def make_report(
    session: Session, request: ReportRequest, *, progress: Progress | None = None
) -> Pdf:
    """The PDF of ``request`` (ReportUnavailable, ValidationError, NotFoundError).

    A copy for a collaborator first passes the sharing guard (SharingRefused names what
    the client's releases do not cover) and says on its first page whom it is for; the
    caller records the disclosure with :func:`record_sharing` once the copy has left.
    """
    check(request)
    build, categories = _prepare(session, request, progress)
    return build(_guard(session, request, categories))


def record_sharing(
    session: Session, request: ReportRequest, pdf: Pdf, means: DisclosureMeans | str
) -> uuid.UUID:
    """Write down that the copy made for ``request.for_collaborator`` was given out."""
    from mhsw_desktop.services.care_team import record_disclosure

    check(request)
    _, categories = _prepare(session, request, None)
    shared = _guard(session, request, categories)
    assert shared is not None, "record_sharing is for copies made for a collaborator"
    pages = f"{pdf.pages} page{'s' if pdf.pages != 1 else ''}"
    return record_disclosure(
        session,
        shared.client_id,
        shared.collaborator_id,
        shared.release_id,
        shared.categories,
        means,
        f"{TITLES[request.kind]} ({pages})",
    )


def _guard(
    session: Session, request: ReportRequest, categories: set[Category]
) -> PreparedFor | None:
    if request.for_collaborator is None:
        return None
    assert request.client_id is not None  # check() saw to it
    return data.prepared_for(session, request.client_id, request.for_collaborator, categories)


def _prepare(
    session: Session, request: ReportRequest, progress: Progress | None
) -> tuple[Builder, set[Category]]:
    """Gather the data of ``request``: how to build it, and what it would disclose."""
    kind = request.kind
    if kind in CLIENT_DOCUMENTS:
        import importlib

        module = importlib.import_module(CLIENT_DOCUMENTS[kind])
        prepared: tuple[Builder, set[Category]] = module.prepare(
            session, request, tongue_for(session, request)
        )
        return prepared
    if kind == "session-summary":
        from mhsw_desktop.reports import session_summary

        items = [
            data.session_summary_data(
                session, note_id, include_psychotherapy=request.include_psychotherapy
            )
            for note_id in summary_notes(session, request)
        ]
        shown = [d for item in items for d in item.diagnoses if d.resolved_date is None]
        categories = data.categories_of_notes([item.note for item in items], shown)
        return (lambda shared: session_summary.build_many(items, prepared_for=shared)), categories
    if kind == "face-sheet":
        from mhsw_desktop.reports import face_sheet

        assert request.client_id is not None
        face = data.face_sheet_data(session, request.client_id)
        categories = data.categories_of_notes([], face.diagnoses)
        return (lambda shared: face_sheet.build(face, prepared_for=shared)), categories
    if kind == "record":
        from mhsw_desktop.reports import record

        assert request.client_id is not None
        whole = data.record_data(
            session, request.client_id, include_psychotherapy=request.include_psychotherapy
        )
        categories = data.categories_of_notes(whole.notes, whole.face.diagnoses)
        return (lambda shared: record.build(whole, progress, prepared_for=shared)), categories
    if kind == "measures":
        from mhsw_desktop.reports import measures

        assert request.client_id is not None
        history = data.measures_data(session, request.client_id)
        return (lambda shared: measures.build(history, prepared_for=shared)), {Category.ASSESSMENTS}
    if kind == "treatment-plan":
        from mhsw_desktop.reports import treatment_plan
        from mhsw_desktop.services.treatment_plans import treatment_plan_data

        assert request.client_id is not None
        plan = treatment_plan_data(session, request.client_id)
        shares = {Category.TREATMENT_PLAN}
        return (lambda shared: treatment_plan.build(plan, prepared_for=shared)), shares
    if kind in ("safety-plan", "wallet-card"):
        from mhsw_desktop.reports import safety_plan, wallet_card
        from mhsw_desktop.services.safety_plans import safety_plan_data

        assert request.client_id is not None
        safety = safety_plan_data(session, request.client_id)
        tongue = tongue_for(session, request, _known_language(safety.version.content.language))
        if kind == "wallet-card":  # never for a collaborator (check() refuses it)
            return (lambda _: wallet_card.build(safety, tongue)), set()
        # a collaborator's copy of the safety plan is part of the treatment plan
        return (lambda shared: safety_plan.build(safety, prepared_for=shared, tongue=tongue)), {
            Category.TREATMENT_PLAN
        }
    if kind == "caseload":
        from mhsw_desktop.reports import caseload

        lines = data.caseload_data(session, request.status)
        return (lambda _: caseload.build(lines)), set()
    if kind == "disclosures":
        from mhsw_desktop.reports import disclosures

        assert request.client_id is not None
        accounting = data.disclosures_data(session, request.client_id)
        return (lambda _: disclosures.build(accounting)), set()
    raise AssertionError(f"unhandled report kind {kind}")  # check() lets only those through


def _known_language(tag: str) -> str:
    """A plan's own language tag ("es", "es-MX") as a language this install prints in, or
    "" (then the client's preference decides)."""
    from mhsw_desktop.domain.language import check_code

    code = tag.strip().lower().split("-")[0]
    return code if code and check_code(code) is None else ""


#: what a copy says it is, in the accounting of disclosures
TITLES = {
    "session-summary": "Session summary",
    "face-sheet": "Client face sheet",
    "record": "Clinical record",
    "measures": "Measures history",
    "treatment-plan": "Treatment plan",
    "safety-plan": "Safety plan",
    "wallet-card": "Safety-plan wallet card",
    "caseload": "Caseload",
    "disclosures": "Accounting of disclosures",
    "phq9-form": "PHQ-9 form",
    "gad7-form": "GAD-7 form",
    "next-steps": "Next-steps sheet",
    "resources": "Community resources list",
    "treatment-consent-form": "Consent to treatment form",
    "telehealth-consent-form": "Telehealth consent form",
    "release-form": "Release of information form",
}


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


def suggested_filename(request: ReportRequest, today: date | None = None) -> str:
    """A file name without any client's name in it (file names end up in recent lists)."""
    when = (request.day or today or date.today()).isoformat()
    return f"{request.kind}-{when}.pdf"
