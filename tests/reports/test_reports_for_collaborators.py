"""Copies for a collaborator pass the sharing guard, say whom they are for, and are recorded."""

from __future__ import annotations

import io
import uuid
from datetime import date, timedelta

import pytest
from pypdf import PdfReader

from mhsw_desktop.domain.care_team import SUBSTANCE_USE_REDISCLOSURE_NOTICE, Category
from mhsw_desktop.domain.client_rules import ClientInput
from mhsw_desktop.errors import ValidationError
from mhsw_desktop.reports.make import ReportRequest, make_report, record_sharing
from mhsw_desktop.services.care_team import SharingRefused, list_disclosures
from mhsw_desktop.services.clients import add_client
from mhsw_desktop.services.collaborators import CollaboratorInput, add_collaborator
from mhsw_desktop.services.diagnoses import DiagnosisInput, add_diagnosis
from mhsw_desktop.services.releases import ReleaseInput, add_release, revoke_release
from mhsw_desktop.vault.vault import Vault
from tests.reports.test_reports import flat, write_note

TODAY = date.today()
BASIC = (Category.ATTENDANCE, Category.PROGRESS_SUMMARIES, Category.DIAGNOSIS)


def text_of(raw: bytes) -> str:
    return flat(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(raw)).pages))


@pytest.fixture
def people(vault: Vault) -> tuple[uuid.UUID, uuid.UUID]:
    with vault.unit_of_work() as session:
        client = add_client(session, ClientInput("Ingrid", "Ågren", date(1975, 5, 5)))
        add_diagnosis(session, client, DiagnosisInput("F33.1", is_primary=True))
        doctor = add_collaborator(
            session,
            CollaboratorInput("Tomasz Oduya", credentials="MD", organisation="Valley Clinic",
                              phone="(802) 555-0177"),
        )  # fmt: skip
    write_note(vault, client)
    return client, doctor


def release(
    vault: Vault, client: uuid.UUID, doctor: uuid.UUID, *categories: Category, consent: str = ""
) -> uuid.UUID:
    data = ReleaseInput(
        doctor, tuple(categories), "Coordinate medication", TODAY - timedelta(days=3),
        expiry_date=TODAY + timedelta(days=200), substance_use_consent=consent,
    )  # fmt: skip
    with vault.unit_of_work() as session:
        return add_release(session, client, data)


def shared_copy(vault: Vault, request: ReportRequest) -> bytes:
    with vault.unit_of_work() as session:
        pdf = make_report(session, request)
        record_sharing(session, request, pdf, "pdf")
    return pdf.data


def test_no_release_refuses_and_records_nothing(
    vault: Vault, people: tuple[uuid.UUID, uuid.UUID]
) -> None:
    client, doctor = people
    for kind in ("session-summary", "face-sheet", "record"):
        with vault.session() as session, pytest.raises(SharingRefused, match="Nothing was shared"):
            make_report(session, ReportRequest(kind, client, for_collaborator=doctor))
    with vault.session() as session:
        assert list_disclosures(session, client) == []


def test_a_covering_release_makes_a_labelled_copy_and_records_it(
    vault: Vault, people: tuple[uuid.UUID, uuid.UUID]
) -> None:
    client, doctor = people
    release_id = release(vault, client, doctor, *BASIC)
    request = ReportRequest("session-summary", client, for_collaborator=doctor)
    text = text_of(shared_copy(vault, request))
    assert "Copy for Tomasz Oduya, MD, Valley Clinic" in text
    assert "Coordinate medication" in text and "42 CFR" not in text
    with vault.session() as session:
        (entry,) = list_disclosures(session, client)
    assert entry.release_id == release_id and entry.collaborator_id == doctor
    assert set(entry.categories) == set(BASIC)
    assert entry.what == "Session summary (1 page)" and entry.means.value == "pdf"
    # the practitioner's own copy says nothing of the sort and records nothing
    with vault.session() as session:
        own = make_report(session, ReportRequest("session-summary", client))
        assert "Copy for" not in text_of(own.data)
        assert len(list_disclosures(session, client)) == 1


def test_a_release_missing_a_category_is_named(
    vault: Vault, people: tuple[uuid.UUID, uuid.UUID]
) -> None:
    client, doctor = people
    release(vault, client, doctor, Category.ATTENDANCE, Category.PROGRESS_SUMMARIES)
    with vault.session() as session, pytest.raises(SharingRefused, match=r"(?i)diagnosis"):
        make_report(session, ReportRequest("session-summary", client, for_collaborator=doctor))


def test_psychotherapy_notes_need_their_own_mention(
    vault: Vault, people: tuple[uuid.UUID, uuid.UUID]
) -> None:
    client, doctor = people
    release(vault, client, doctor, *BASIC)
    asked = ReportRequest("record", client, include_psychotherapy=True, for_collaborator=doctor)
    with vault.session() as session, pytest.raises(SharingRefused, match=r"(?i)psychotherapy"):
        make_report(session, asked)
    # without them the same release covers the record
    assert "Copy for Tomasz Oduya" in text_of(
        shared_copy(vault, ReportRequest("record", client, for_collaborator=doctor))
    )


def test_expired_and_revoked_releases_refuse(
    vault: Vault, people: tuple[uuid.UUID, uuid.UUID]
) -> None:
    client, doctor = people
    release_id = release(vault, client, doctor, *BASIC)
    with vault.unit_of_work() as session:
        revoke_release(session, release_id, TODAY)
    with vault.session() as session, pytest.raises(SharingRefused, match=r"(?i)revoked"):
        make_report(session, ReportRequest("face-sheet", client, for_collaborator=doctor))
    with vault.session() as session:
        assert list_disclosures(session, client) == []


def test_substance_use_diagnosis_needs_its_consent_and_carries_the_notice(
    vault: Vault, people: tuple[uuid.UUID, uuid.UUID]
) -> None:
    client, doctor = people
    with vault.unit_of_work() as session:
        add_diagnosis(session, client, DiagnosisInput("F10.20"))
    release(vault, client, doctor, *BASIC)
    request = ReportRequest("face-sheet", client, for_collaborator=doctor)
    with vault.session() as session, pytest.raises(SharingRefused, match=r"(?i)substance"):
        make_report(session, request)
    consent = "Client consents to share alcohol treatment with Dr. Oduya."
    release(vault, client, doctor, *BASIC, Category.SUBSTANCE_USE, consent=consent)
    text = text_of(shared_copy(vault, request))
    assert flat(SUBSTANCE_USE_REDISCLOSURE_NOTICE) in text


def test_reports_never_made_for_a_collaborator(
    vault: Vault, people: tuple[uuid.UUID, uuid.UUID]
) -> None:
    client, doctor = people
    for request in (
        ReportRequest("caseload", for_collaborator=doctor),
        ReportRequest("disclosures", client, for_collaborator=doctor),
        ReportRequest("session-summary", day=TODAY, for_collaborator=doctor),
    ):
        with vault.session() as session, pytest.raises(ValidationError):
            make_report(session, request)


def test_the_accounting_of_disclosures_lists_each_copy(
    vault: Vault, people: tuple[uuid.UUID, uuid.UUID]
) -> None:
    client, doctor = people
    with vault.session() as session:
        empty = text_of(make_report(session, ReportRequest("disclosures", client)).data)
    assert "No disclosures have been recorded" in empty
    release(vault, client, doctor, *BASIC)
    shared_copy(vault, ReportRequest("session-summary", client, for_collaborator=doctor))
    shared_copy(vault, ReportRequest("face-sheet", client, for_collaborator=doctor))
    with vault.session() as session:
        text = text_of(make_report(session, ReportRequest("disclosures", client)).data)
    assert "Accounting of disclosures" in text and "Ingrid Ågren" in text
    assert "2 disclosures recorded" in text
    assert text.index("Session summary (1 page)") < text.index("Client face sheet (1 page)")
    assert "Tomasz Oduya" in text and "Valley Clinic" in text and "Coordinate medication" in text


def test_a_collaborators_copy_leaves_out_the_practices_working_notes(
    vault: Vault, people: tuple[uuid.UUID, uuid.UUID]
) -> None:
    from dataclasses import replace

    from mhsw_desktop.services.clients import get_client, update_client
    from mhsw_desktop.services.tasks import TaskInput, add_task

    client, doctor = people
    with vault.unit_of_work() as session:
        data = get_client(session, client).data
        update_client(session, client, replace(data, important_to_know="Prefers evening calls."))
        add_task(
            session, TaskInput("Chase the lab letter", TODAY + timedelta(days=2), client_id=client)
        )
    release(vault, client, doctor, *BASIC)
    for kind in ("face-sheet", "record"):
        with vault.session() as session:
            own = text_of(make_report(session, ReportRequest(kind, client)).data)
        copy = text_of(shared_copy(vault, ReportRequest(kind, client, for_collaborator=doctor)))
        assert "Prefers evening calls." in own and "Chase the lab letter" in own
        assert "Prefers evening calls." not in copy and "Chase the lab letter" not in copy
        assert "Ingrid Ågren" in copy
