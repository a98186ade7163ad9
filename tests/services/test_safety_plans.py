"""Safety plans on a real vault: version 1 starts with the clinician and the crisis lines,
drafts are saved whole with clear messages, signing freezes a version (the service refuses
and so does the database), new versions start from the last, and the difference is told."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from mhsw_desktop.domain.client_rules import ClientInput
from mhsw_desktop.domain.plans import SafetyPlanVersion, VersionStatus
from mhsw_desktop.errors import NotFoundError, ValidationError
from mhsw_desktop.services import safety_plans as sp
from mhsw_desktop.services.clients import add_client
from mhsw_desktop.services.practitioner import PractitionerInput, Signer, save_practitioner
from mhsw_desktop.services.safety_plans import Contact, SafetyPlanInput, SafetyPlanSignedError
from mhsw_desktop.vault.vault import Vault

TODAY = date(2025, 6, 2)
SIGNER = Signer("Avery Lindqvist", "LCSW", "CA-LCSW-90210")
NOON = datetime(2025, 6, 2, 16, 0)


@pytest.fixture
def client(vault: Vault) -> uuid.UUID:
    with vault.unit_of_work() as session:
        return add_client(session, ClientInput("Ana", "González", date(1985, 3, 14)))


def complete(plan_date: date = TODAY) -> SafetyPlanInput:
    return SafetyPlanInput(
        plan_date=plan_date,
        warning_signs=("Not sleeping", "Thinking “nobody would notice”"),
        coping_strategies=("Walk the dog",),
        distraction_contacts=(Contact("The public library"), Contact("Rosa (cousin)", "555-0101")),
        help_contacts=(Contact("Luis (brother)", "(406) 555-0142"),),
        professional_contacts=(Contact("988 Suicide & Crisis Lifeline", "988", "Call or text"),),
        environment_safety=("Rifle kept at my brother's house",),
        reasons_for_living=("My kids",),
        likelihood_of_use=8,
        barriers="May not call at night; will text instead.",
    )


def started(vault: Vault, client: uuid.UUID, data: SafetyPlanInput | None = None) -> uuid.UUID:
    with vault.unit_of_work() as s:
        return sp.create_safety_plan(s, client, data, today=TODAY)


def signed(vault: Vault, client: uuid.UUID) -> uuid.UUID:
    version = started(vault, client, complete())
    with vault.unit_of_work() as s:
        sp.sign_version(s, version, SIGNER, now=NOON)
    return version


def test_a_new_plan_is_a_draft_with_the_clinician_and_the_crisis_lines(
    vault: Vault, client: uuid.UUID
) -> None:
    with vault.unit_of_work() as s:
        save_practitioner(
            s, PractitionerInput(name="Avery Lindqvist", credentials="LCSW",
                                 practice_name="Cedar Hollow Counseling", phone="(406) 555-0100"),
        )  # fmt: skip
    started(vault, client)
    with vault.session() as s:
        state = sp.get_safety_plan(s, client)
    assert state is not None and state.draft is state.current and state.in_force is None
    v = state.current
    assert (v.version_number, v.status, v.plan_date) == (1, VersionStatus.DRAFT, TODAY)
    names = [c.name for c in v.content.professional_contacts]
    phones = [c.phone for c in v.content.professional_contacts]
    assert names[0] == "Avery Lindqvist, LCSW" and phones[0] == "(406) 555-0100"
    assert "988" in phones and "911" in phones
    assert v.content.warning_signs == () and v.content.likelihood_of_use is None
    with vault.unit_of_work() as s, pytest.raises(ValidationError, match="already has"):
        sp.create_safety_plan(s, client, today=TODAY)


def test_without_a_profile_the_plan_still_starts_with_988(vault: Vault, client: uuid.UUID) -> None:
    started(vault, client)
    with vault.session() as s:
        state = sp.get_safety_plan(s, client)
    assert state is not None
    assert [c.phone for c in state.current.content.professional_contacts] == ["988", "911"]


def test_a_draft_saves_whole_and_reads_back_cleaned(vault: Vault, client: uuid.UUID) -> None:
    version = started(vault, client)
    messy = replace(
        complete(),
        warning_signs=("  Not sleeping  ", "", "   ", "Drinking alone"),
        help_contacts=(Contact(" Luis ", " 555-0142 ", "ignored for a person", "ignored"),
                       Contact("", "", "", "")),
    )  # fmt: skip
    with vault.unit_of_work() as s:
        sp.update_draft(s, version, messy, today=TODAY)
    with vault.session() as s:
        v = sp.get_version(s, version)
    assert v.content.warning_signs == ("Not sleeping", "Drinking alone")
    assert v.content.help_contacts == (Contact("Luis", "555-0142"),)
    assert v.content.reasons_for_living == ("My kids",)
    assert v.content.barriers == "May not call at night; will text instead."


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"plan_date": TODAY + timedelta(days=1)}, "plan_date", "in the future"),
        ({"plan_date": date(1989, 12, 31)}, "plan_date", "implausibly early"),
        ({"likelihood_of_use": 11}, "likelihood_of_use", "from 0"),
        ({"likelihood_of_use": -1}, "likelihood_of_use", "from 0"),
        ({"warning_signs": ("x" * 1001,)}, "warning_signs", "1001 characters"),
        ({"coping_strategies": tuple(f"c{i}" for i in range(31))}, "coping_strategies", "31"),
        ({"help_contacts": (Contact("", "555-0142"),)}, "help_contacts", "a name is required"),
        ({"help_contacts": (Contact("Luis", "5" * 61),)}, "help_contacts", "the phone is 61"),
        ({"barriers": "b" * 4001}, "barriers", "4001 characters"),
    ],
)
def test_bad_input_is_refused_by_field_and_nothing_changes(
    vault: Vault, client: uuid.UUID, change: dict[str, object], field: str, words: str
) -> None:
    version = started(vault, client, complete())
    with vault.unit_of_work() as s, pytest.raises(ValidationError) as caught:
        sp.update_draft(s, version, replace(complete(), **change), today=TODAY)
    assert list(caught.value.errors) == [field] and words in caught.value.errors[field]
    with vault.session() as s:
        assert sp.get_version(s, version).content == complete()


def test_signing_needs_the_steps_that_make_a_plan_usable(vault: Vault, client: uuid.UUID) -> None:
    version = started(vault, client)  # professionals only
    with vault.unit_of_work() as s, pytest.raises(ValidationError) as caught:
        sp.sign_version(s, version, SIGNER, now=NOON)
    assert set(caught.value.errors) == {"warning_signs", "coping_strategies", "environment_safety"}
    no_phone = replace(complete(), professional_contacts=(Contact("Dr. Okafor"),))
    with vault.unit_of_work() as s:
        sp.update_draft(s, version, no_phone, today=TODAY)
    with vault.unit_of_work() as s, pytest.raises(ValidationError, match="phone number"):
        sp.sign_version(s, version, SIGNER, now=NOON)
    with vault.session() as s:
        assert not sp.get_version(s, version).signed


def test_signing_records_the_signer_and_a_hash_and_freezes(vault: Vault, client: uuid.UUID) -> None:
    version = started(vault, client, complete())
    with vault.unit_of_work() as s:
        digest = sp.sign_version(s, version, SIGNER, now=NOON)
    with vault.session() as s:
        v = sp.get_version(s, version)
    assert v.signed and v.signed_at == NOON and len(digest) == 64 and v.content_hash == digest
    assert (v.signer_name, v.signer_credentials, v.signer_licence) == (
        "Avery Lindqvist", "LCSW", "CA-LCSW-90210")  # fmt: skip
    assert sp.content_hash(v, NOON, SIGNER) == digest  # the hash is of what is stored
    with vault.unit_of_work() as s, pytest.raises(SafetyPlanSignedError, match="new version"):
        sp.update_draft(s, version, replace(complete(), warning_signs=("changed",)), today=TODAY)
    with vault.unit_of_work() as s, pytest.raises(SafetyPlanSignedError):
        sp.sign_version(s, version, SIGNER, now=NOON)
    with vault.unit_of_work() as s, pytest.raises(SafetyPlanSignedError):
        sp.discard_draft(s, version)
    with vault.session() as s:
        assert sp.get_version(s, version).content == complete()


def test_the_database_refuses_changes_to_a_signed_version(vault: Vault, client: uuid.UUID) -> None:
    version = signed(vault, client)
    for values in ({"warning_signs": '["changed"]'}, {"deleted_at": NOON}, {"signer_name": "X"}):
        with vault.unit_of_work() as s, pytest.raises(IntegrityError, match="immutable"):
            s.execute(update(SafetyPlanVersion).where(SafetyPlanVersion.id == version)
                      .values(**values))  # fmt: skip
    with vault.unit_of_work() as s, pytest.raises(IntegrityError, match="immutable"):
        row = s.scalars(select(SafetyPlanVersion).where(SafetyPlanVersion.id == version)).one()
        s.delete(row)
        s.flush()


def test_the_client_signature_date_is_recorded_once_and_checked(
    vault: Vault, client: uuid.UUID
) -> None:
    draft = started(vault, client, complete())
    with vault.unit_of_work() as s, pytest.raises(ValidationError, match="yourself before"):
        sp.record_client_signature(s, draft, TODAY, today=TODAY)
    with vault.unit_of_work() as s:
        sp.sign_version(s, draft, SIGNER, now=NOON)
    for when, words in ((TODAY + timedelta(1), "in the future"),
                        (TODAY - timedelta(1), "before the plan date")):  # fmt: skip
        with vault.unit_of_work() as s, pytest.raises(ValidationError, match=words):
            sp.record_client_signature(s, draft, when, today=TODAY)
    with vault.unit_of_work() as s:
        sp.record_client_signature(s, draft, TODAY, today=TODAY)
    with vault.unit_of_work() as s, pytest.raises(ValidationError, match="already recorded"):
        sp.record_client_signature(s, draft, TODAY, today=TODAY)
    with vault.session() as s:
        assert sp.get_version(s, draft).client_signed_on == TODAY


def test_a_new_version_starts_from_the_last_and_the_old_one_stays(
    vault: Vault, client: uuid.UUID
) -> None:
    first = signed(vault, client)
    later = TODAY + timedelta(days=30)
    with vault.unit_of_work() as s:
        second = sp.start_new_version(s, client, today=later)
    with vault.unit_of_work() as s, pytest.raises(ValidationError, match="still a draft"):
        sp.start_new_version(s, client, today=later)
    with vault.session() as s:
        state = sp.get_safety_plan(s, client)
        new = sp.get_version(s, second)
    assert state is not None and state.current.id == second
    assert [(r.version_number, r.status) for r in state.versions] == [
        (2, VersionStatus.DRAFT), (1, VersionStatus.SIGNED)]  # fmt: skip
    assert state.in_force is not None and state.in_force.id == first
    assert new.plan_date == later and replace(new.content, plan_date=TODAY) == complete()
    revised = replace(
        new.content,
        warning_signs=("Not sleeping", "Skipping meals"),
        help_contacts=(Contact("Luis (brother)", "(406) 555-0199"), Contact("Rosa", "555-0101")),
        likelihood_of_use=9,
    )
    with vault.unit_of_work() as s:
        sp.update_draft(s, second, revised, today=later)
        changes = sp.diff_with_previous(s, second)
        assert sp.diff_with_previous(s, first) is None
    assert changes == [
        "Step 1 (Warning signs): added “Skipping meals”",
        "Step 1 (Warning signs): removed “Thinking “nobody would notice””",
        "Step 4 (People I can ask for help): changed “Luis (brother)” ((406) 555-0142) to "
        "“Luis (brother)” ((406) 555-0199)",
        "Step 4 (People I can ask for help): added “Rosa” (555-0101)",
        "Likelihood of use: 8 of 10 → 9 of 10",
    ]
    with vault.session() as s:
        assert sp.get_version(s, first).content == complete()


def test_a_new_version_can_be_discarded_but_version_1_cannot(
    vault: Vault, client: uuid.UUID
) -> None:
    first = signed(vault, client)
    with vault.unit_of_work() as s:
        second = sp.start_new_version(s, client, today=TODAY)
    with vault.unit_of_work() as s:
        sp.discard_draft(s, second)
    with vault.session() as s:
        state = sp.get_safety_plan(s, client)
    assert state is not None and [r.id for r in state.versions] == [first]
    with vault.unit_of_work() as s:
        third = sp.start_new_version(s, client, today=TODAY)
    with vault.session() as s:
        assert sp.get_version(s, third).version_number == 3  # a discarded number is not reused
    other = uuid.uuid4()
    with vault.unit_of_work() as s:
        client2 = add_client(s, ClientInput("Luis", "Nguyễn", date(1979, 1, 2)))
    lone = started(vault, client2)
    with vault.unit_of_work() as s, pytest.raises(ValidationError, match="version 1"):
        sp.discard_draft(s, lone)
    with vault.unit_of_work() as s, pytest.raises(NotFoundError):
        sp.discard_draft(s, other)


def test_reading_and_printing_data_need_a_plan_and_the_right_client(
    vault: Vault, client: uuid.UUID
) -> None:
    with vault.session() as s:
        assert sp.get_safety_plan(s, client) is None
        with pytest.raises(NotFoundError, match="no safety plan yet"):
            sp.safety_plan_data(s, client)
        with pytest.raises(NotFoundError):
            sp.get_safety_plan(s, uuid.uuid4())
    first = signed(vault, client)
    with vault.unit_of_work() as s:
        other = add_client(s, ClientInput("Luis", "Nguyễn", date(1979, 1, 2)))
        sp.create_safety_plan(s, other, complete(), today=TODAY)
    with vault.session() as s:
        data = sp.safety_plan_data(s, client)
        assert data.version.id == first and data.client.name == "Ana González"
        assert sp.clients_with_safety_plan(s, [client, other, uuid.uuid4()]) == {client, other}
        with pytest.raises(NotFoundError, match="another client"):
            sp.safety_plan_data(s, other, first)
        with pytest.raises(NotFoundError, match="no version 4"):
            sp.version_by_number(s, client, 4)


def test_the_json_form_names_every_step_in_order(vault: Vault, client: uuid.UUID) -> None:
    version = signed(vault, client)
    with vault.session() as s:
        out = sp.version_json(sp.get_version(s, version))
    assert [step["number"] for step in out["steps"]] == [1, 2, 3, 4, 5, 6, 7]
    assert out["steps"][3]["entries"] == [{"name": "Luis (brother)", "phone": "(406) 555-0142"}]
    assert out["steps"][4]["entries"][0]["organisation"] == "Call or text"
    assert (out["status"], out["signer"]["name"], out["likelihood_of_use"]) == (
        "signed", "Avery Lindqvist", 8)  # fmt: skip
