"""Community resources and referrals: the directory, folded search, CSV round trip and its
all-or-nothing import, duplicates, and referrals whose follow-up date is a task.

Only synthetic places: example.org addresses, 555-01xx phones.
"""

from __future__ import annotations

import csv
import io
import uuid
from datetime import date, timedelta

import pytest

from mhsw_desktop.domain.client_rules import ClientInput
from mhsw_desktop.domain.note import Task
from mhsw_desktop.domain.resources import CommunityResource, ReferralStatus, ResourceCategory
from mhsw_desktop.errors import NotFoundError, ValidationError
from mhsw_desktop.services.clients import add_client
from mhsw_desktop.services.resources import (
    CSV_COLUMNS,
    ReferralInput,
    ResourceCsvError,
    ResourceInput,
    add_referral,
    add_resource,
    delete_referral,
    delete_resource,
    export_resources_csv,
    get_referral,
    import_resources_csv,
    likely_duplicate_resources,
    list_referrals,
    list_resources,
    neutralise,
    parse_category,
    parse_resources_csv,
    set_referral_status,
    update_referral,
    update_resource,
)
from mhsw_desktop.services.synthetic_resources import (
    SYNTHETIC_RESOURCES,
    add_synthetic_resources,
)
from mhsw_desktop.services.tasks import complete_task, list_tasks
from mhsw_desktop.vault.vault import Vault
from tests.support import create_vault

TODAY = date.today()
HEADER = ",".join(CSV_COLUMNS)


def csv_bytes(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join((header, *rows)) + "\n").encode("utf-8")


@pytest.fixture
def client_id(vault: Vault) -> uuid.UUID:
    with vault.unit_of_work() as session:
        return add_client(session, ClientInput("Ana", "Synth", date(1988, 4, 5)))


@pytest.fixture
def pantry(vault: Vault) -> uuid.UUID:
    with vault.unit_of_work() as session:
        return add_resource(
            session,
            ResourceInput(
                "Comedor San José",
                services="Hot meals and groceries",
                categories=(ResourceCategory.FOOD,),
                phone="(406) 555-0131",
                languages="Español, English",
            ),
        )


# -- the directory ---------------------------------------------------------------------
def test_add_edit_delete_and_list_by_folded_name(vault: Vault, pantry: uuid.UUID) -> None:
    with vault.unit_of_work() as session:
        other = add_resource(session, ResourceInput("  Áspen Housing  ", phone="406-555-0132"))
        update_resource(
            session,
            other,
            ResourceInput(
                "Aspen Housing Trust",
                categories=(ResourceCategory.LEGAL_AID, ResourceCategory.HOUSING),
            ),
        )
    with vault.session() as session:
        rows = list_resources(session)
        assert [r.name for r in rows] == ["Aspen Housing Trust", "Comedor San José"]
        # categories in declaration order, whatever order they were given in
        assert rows[0].categories == (ResourceCategory.HOUSING, ResourceCategory.LEGAL_AID)
        assert rows[0].category_labels == "Housing, Legal aid"
    with vault.unit_of_work() as session:
        delete_resource(session, other)
        with pytest.raises(NotFoundError):
            delete_resource(session, other)
    with vault.session() as session:
        assert [r.name for r in list_resources(session)] == ["Comedor San José"]


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("comedor", True),
        ("SAN JOSE", True),  # case and accents folded
        ("groceries", True),  # services
        ("food", True),  # category value and label
        ("espanol", True),  # languages
        ("0131", True),  # phone digits
        ("housing", False),
        ("comedor housing", False),  # every word must match
    ],
)
def test_search_folds_case_and_accents(
    vault: Vault, pantry: uuid.UUID, query: str, found: bool
) -> None:
    with vault.session() as session:
        assert bool(list_resources(session, query)) is found


def test_search_by_category_and_language(vault: Vault, pantry: uuid.UUID) -> None:
    with vault.session() as session:
        assert list_resources(session, category=ResourceCategory.FOOD)
        assert not list_resources(session, category=ResourceCategory.CRISIS)
        assert list_resources(session, language="ESPAÑOL")
        assert list_resources(session, language="espanol")
        assert not list_resources(session, language="Vietnamese")


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        (ResourceInput(""), "name", "is required"),
        (ResourceInput("   "), "name", "is required"),
        (ResourceInput("x" * 201), "name", "201 characters long; at most 200"),
        (ResourceInput("A", services="s" * 4001), "services", "at most 4000"),
        (ResourceInput("A", phone="call us"), "phone", "phone number"),
        (ResourceInput("A", email="nobody"), "email", "email address"),
        (ResourceInput("A", website="javascript:alert(1)"), "website", "web address"),
        (ResourceInput("A\x07"), "name", "cannot be stored"),
        (ResourceInput("A\nB"), "name", "cannot be stored"),  # one line
    ],
)
def test_invalid_fields_are_refused_with_their_name(
    vault: Vault, data: ResourceInput, field: str, words: str
) -> None:
    with vault.unit_of_work() as session, pytest.raises(ValidationError) as raised:
        add_resource(session, data)
    assert words in raised.value.errors[field]
    with vault.session() as session:
        assert list_resources(session) == []


def test_parse_category_takes_values_and_labels() -> None:
    assert parse_category("Legal aid") is ResourceCategory.LEGAL_AID
    assert parse_category(" substance-use treatment ") is ResourceCategory.SUBSTANCE_USE_TREATMENT
    assert parse_category("SUPPORT_GROUPS") is ResourceCategory.SUPPORT_GROUPS
    with pytest.raises(ValueError, match="not a category"):
        parse_category("groceries")


def test_likely_duplicates_are_same_folded_name_and_phone(vault: Vault, pantry: uuid.UUID) -> None:
    with vault.session() as session:
        same = likely_duplicate_resources(
            session, ResourceInput("comedor  san jose", phone="+1 406 555 0131")
        )
        assert [r.id for r in same] == [pantry]
        assert not likely_duplicate_resources(
            session, ResourceInput("Comedor San José", phone="(406) 555-0199")
        )
        assert not likely_duplicate_resources(
            session, ResourceInput("Comedor San José", phone="406 555 0131"), exclude=pantry
        )


# -- CSV ---------------------------------------------------------------------------------
def test_csv_round_trip_keeps_every_field(vault: Vault, tmp_path) -> None:
    tricky = ResourceInput(
        '=HYPERLINK("http://example.org")',  # a formula in disguise stays text
        services='Meals, "hot", and groceries\nsecond line',
        categories=(ResourceCategory.FOOD, ResourceCategory.CRISIS),
        eligibility="-anyone-",
        hours="@noon",
        phone="+1 406 555 0140",
        email="food@example.org",
        website="https://food.example.org/a?b=c",
        address="1 Quay Street\nPort Synth",
        languages="Español, Tiếng Việt",
        notes="'=already quoted",
    )
    with vault.unit_of_work() as session:
        add_synthetic_resources(session)
        add_resource(session, tricky)
    with vault.session() as session:
        before = list_resources(session)
        text = export_resources_csv(session)
    assert text.startswith("\ufeff" + HEADER + "\r\n")
    cells = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    formula_row = next(r for r in cells if r[0].startswith("'="))
    assert formula_row[0] == '\'=HYPERLINK("http://example.org")'
    assert formula_row[5] == "'+1 406 555 0140"
    assert formula_row[2] == "food;crisis"
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in cells for cell in row)

    other, _ = create_vault(tmp_path / "other")
    try:
        with other.unit_of_work() as session:
            result = import_resources_csv(session, text.encode("utf-8"))
        assert len(result.imported) == len(before) == len(SYNTHETIC_RESOURCES) + 1
        assert result.skipped == ()
        with other.session() as session:
            after = list_resources(session)
        assert [r.data for r in after] == [r.data for r in before]
    finally:
        other.lock()


def test_neutralise_only_touches_formula_starts() -> None:
    assert neutralise("plain") == "plain"
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("'=1") == "''=1"
    assert neutralise("it's") == "it's"
    assert neutralise("") == ""


def test_malformed_rows_import_nothing_and_are_each_named(vault: Vault, pantry: uuid.UUID) -> None:
    data = csv_bytes(
        "Good Place,,food,,,(406) 555-0150,,,,,",
        ",no name here,,,,,,,,,",
        "Bad Phone,,housing,,,call me,,,,,",
        "Another Good,,,,,,,,,,",
        "Bad Category,,groceries;food,,,,bad@,,,,",
        "Too Long " + "x" * 300 + ",,,,,,,,,,",
    )
    with pytest.raises(ResourceCsvError) as raised:
        parse_resources_csv(data)
    problems = [(p.row, p.field) for p in raised.value.problems]
    assert problems == [
        (3, "name"),
        (4, "phone"),
        (6, "categories"),
        (6, "email"),
        (7, "name"),
    ]
    message = str(raised.value)
    assert message.startswith("Nothing was imported")
    assert "row 3, name: is required" in message
    assert "row 4, phone: does not look like a phone number" in message
    with vault.unit_of_work() as session, pytest.raises(ResourceCsvError):
        import_resources_csv(session, data)
    with vault.session() as session:
        assert [r.id for r in list_resources(session)] == [pantry]


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"\xff\xfename\n", "not UTF-8"),
        (b"title,phone\nA,1\n", "unknown column 'title'"),
        (b"services,phone\nA,1\n", "no 'name' column"),
        (b"name,name\nA,B\n", "appears twice"),
        (b'name\n"unterminated\n', "row"),
        (b"name,phone\nA,406 555 0100,extra\n", "row 2: has 3 cells; the header names 2"),
        (b"name\nA\x00\n", "NUL"),
    ],
)
def test_malformed_files_are_refused_in_words(data: bytes, words: str) -> None:
    with pytest.raises(ResourceCsvError, match=words):
        parse_resources_csv(data)


def test_header_in_any_order_and_case_with_bom_blank_lines_and_short_rows() -> None:
    data = (
        "\ufeffPhone,NAME,Categories\r\n406-555-0160,Synth Shelter,Housing;crisis\r\n\r\n,Other\r\n"
    )
    rows = parse_resources_csv(data.encode("utf-8"))
    assert [(r.row, r.data.name, r.data.phone, r.data.categories) for r in rows] == [
        (2, "Synth Shelter", "406-555-0160", (ResourceCategory.HOUSING, ResourceCategory.CRISIS)),
        (4, "Other", "", ()),
    ]


def test_duplicates_are_skipped_and_reported(vault: Vault, pantry: uuid.UUID) -> None:
    data = csv_bytes(
        "COMEDOR SAN JOSE,,,,,406.555.0131,,,,,",  # the directory has it
        "New Pantry,,food,,,(406) 555-0170,,,,,",
        "new pantry,,,,,406-555-0170,,,,,",  # repeats row 3
        "New Pantry,,,,,(406) 555-0171,,,,,",  # another phone: another place
    )
    with vault.unit_of_work() as session:
        result = import_resources_csv(session, data)
    assert len(result.imported) == 2
    assert [(s.row, s.duplicate_of) for s in result.skipped] == [(2, pantry), (4, None)]
    assert result.to_json()["skipped"][0] == {
        "row": 2,
        "name": "COMEDOR SAN JOSE",
        "duplicate_of": str(pantry),
    }
    with vault.session() as session:
        assert len(list_resources(session)) == 3


# -- referrals ---------------------------------------------------------------------------
def _tasks(vault: Vault) -> list:
    with vault.session() as session:
        return list_tasks(session, "all")


def test_referral_follow_up_task_is_created_moved_and_completed(
    vault: Vault, client_id: uuid.UUID, pantry: uuid.UUID
) -> None:
    follow = TODAY + timedelta(days=7)
    with vault.unit_of_work() as session:
        referral_id = add_referral(
            session,
            ReferralInput(client_id, pantry, TODAY - timedelta(days=1), followup_date=follow),
        )
    [task] = _tasks(vault)
    assert task.title == "Follow up referral: Comedor San José"
    assert task.due_date == follow
    assert task.client_id == client_id
    assert task.completed_at is None

    moved = TODAY + timedelta(days=14)
    with vault.unit_of_work() as session:
        row = get_referral(session, referral_id)
        assert row.followup_task_id == task.id
        update_referral(
            session,
            referral_id,
            ReferralInput(client_id, pantry, row.referred_on, ReferralStatus.ACCEPTED,
                          followup_date=moved),
        )  # fmt: skip
    [task] = _tasks(vault)
    assert task.due_date == moved and task.completed_at is None  # accepted still waits

    with vault.unit_of_work() as session:
        set_referral_status(session, referral_id, ReferralStatus.COMPLETED)
    [task] = _tasks(vault)
    assert task.completed_at is not None
    with vault.session() as session:
        row = get_referral(session, referral_id)
        assert row.status is ReferralStatus.COMPLETED
        assert row.status_date == TODAY
        assert row.followup_done

    # waiting again (a mistake corrected) reopens it
    with vault.unit_of_work() as session:
        set_referral_status(session, referral_id, ReferralStatus.MADE)
    [task] = _tasks(vault)
    assert task.completed_at is None


def test_clearing_the_follow_up_date_removes_its_open_task(
    vault: Vault, client_id: uuid.UUID, pantry: uuid.UUID
) -> None:
    with vault.unit_of_work() as session:
        referral_id = add_referral(
            session, ReferralInput(client_id, pantry, TODAY, followup_date=TODAY)
        )
        update_referral(session, referral_id, ReferralInput(client_id, pantry, TODAY))
    assert _tasks(vault) == []
    with vault.session() as session:
        assert get_referral(session, referral_id).followup_task_id is None
    with vault.unit_of_work() as session:  # a date given later creates one
        update_referral(
            session, referral_id, ReferralInput(client_id, pantry, TODAY, followup_date=TODAY)
        )
    assert len(_tasks(vault)) == 1


def test_a_task_done_by_hand_stays_done_until_its_date_moves(
    vault: Vault, client_id: uuid.UUID, pantry: uuid.UUID
) -> None:
    with vault.unit_of_work() as session:
        referral_id = add_referral(
            session, ReferralInput(client_id, pantry, TODAY, followup_date=TODAY)
        )
        complete_task(session, get_referral(session, referral_id).followup_task_id)
        update_referral(
            session,
            referral_id,
            ReferralInput(client_id, pantry, TODAY, notes="Left a message", followup_date=TODAY),
        )
    assert _tasks(vault)[0].completed_at is not None
    with vault.unit_of_work() as session:
        update_referral(
            session,
            referral_id,
            ReferralInput(client_id, pantry, TODAY, followup_date=TODAY + timedelta(days=3)),
        )
    assert _tasks(vault)[0].completed_at is None


def test_a_settled_referral_with_a_follow_up_date_gets_a_done_task(
    vault: Vault, client_id: uuid.UUID, pantry: uuid.UUID
) -> None:
    with vault.unit_of_work() as session:
        add_referral(
            session,
            ReferralInput(client_id, pantry, TODAY, ReferralStatus.DECLINED, followup_date=TODAY),
        )
    [task] = _tasks(vault)
    assert task.completed_at is not None


def test_deleting_a_referral_removes_its_open_task(
    vault: Vault, client_id: uuid.UUID, pantry: uuid.UUID
) -> None:
    with vault.unit_of_work() as session:
        referral_id = add_referral(
            session, ReferralInput(client_id, pantry, TODAY, followup_date=TODAY)
        )
        delete_referral(session, referral_id)
        assert list_referrals(session, client_id) == []
    assert _tasks(vault) == []


def test_list_referrals_newest_first_and_after_the_resource_is_deleted(
    vault: Vault, client_id: uuid.UUID, pantry: uuid.UUID
) -> None:
    with vault.unit_of_work() as session:
        older = add_referral(session, ReferralInput(client_id, pantry, TODAY - timedelta(days=30)))
        newer = add_referral(session, ReferralInput(client_id, pantry, TODAY, notes=" For meals "))
        delete_resource(session, pantry)
    with vault.session() as session:
        rows = list_referrals(session, client_id)
    assert [r.id for r in rows] == [newer, older]
    assert rows[0].notes == "For meals"
    assert rows[0].resource_name == "Comedor San José" and rows[0].resource_deleted
    assert rows[1].status_date == TODAY - timedelta(days=30)
    assert rows[0].to_json()["status_label"] == "Made"
    with vault.unit_of_work() as session:  # an existing referral to it can still change
        set_referral_status(session, older, ReferralStatus.NO_RESPONSE)
        with pytest.raises(ValidationError) as raised:  # a new one cannot
            add_referral(session, ReferralInput(client_id, pantry, TODAY))
        assert "no such community resource" in raised.value.errors["resource_id"]


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"referred_on": TODAY + timedelta(days=1)}, "referred_on", "in the future"),
        ({"referred_on": date(1900, 1, 1)}, "referred_on", "not a plausible date"),
        ({"followup_date": TODAY - timedelta(days=9)}, "followup_date", "before the referral"),
        ({"status_date": TODAY + timedelta(days=1)}, "status_date", "in the future"),
        ({"status": "lost"}, "status", "is not one of"),
        ({"notes": "n" * 4001}, "notes", "at most 4000"),
        ({"resource_id": uuid.uuid4()}, "resource_id", "no such community resource"),
        ({"client_id": uuid.uuid4()}, "client_id", "no such client"),
    ],
)
def test_bad_referrals_are_refused(
    vault: Vault, client_id: uuid.UUID, pantry: uuid.UUID, change: dict, field: str, words: str
) -> None:
    base = {"client_id": client_id, "resource_id": pantry, "referred_on": TODAY - timedelta(days=1)}
    with vault.unit_of_work() as session, pytest.raises(ValidationError) as raised:
        add_referral(session, ReferralInput(**{**base, **change}))
    assert words in raised.value.errors[field]
    with vault.session() as session:
        assert session.query(Task).count() == 0


def test_a_referral_cannot_move_to_another_client(
    vault: Vault, client_id: uuid.UUID, pantry: uuid.UUID
) -> None:
    with vault.unit_of_work() as session:
        other = add_client(session, ClientInput("Bo", "Synth", date(1990, 1, 1)))
        referral_id = add_referral(session, ReferralInput(client_id, pantry, TODAY))
        with pytest.raises(ValidationError, match="another client"):
            update_referral(session, referral_id, ReferralInput(other, pantry, TODAY))


def test_renaming_a_resource_renames_its_follow_up_tasks(
    vault: Vault, client_id: uuid.UUID, pantry: uuid.UUID
) -> None:
    with vault.unit_of_work() as session:
        add_referral(session, ReferralInput(client_id, pantry, TODAY, followup_date=TODAY))
        resource = session.get(CommunityResource, pantry)
        assert resource is not None
        update_resource(session, pantry, ResourceInput("Comedor Central", phone=resource.phone))
    assert _tasks(vault)[0].title == "Follow up referral: Comedor Central"


def test_synthetic_resources_are_valid_and_invented(vault: Vault) -> None:
    with vault.unit_of_work() as session:
        ids = add_synthetic_resources(session)
    assert len(ids) == len(SYNTHETIC_RESOURCES)
    with vault.session() as session:
        rows = list_resources(session)
    assert {c for r in rows for c in r.categories} == set(ResourceCategory)
    for row in rows:
        assert "555-01" in row.phone
        assert not row.email or row.email.endswith("example.org")
        assert not row.website or "example.org" in row.website
