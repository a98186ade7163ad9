"""Client use cases on a real encrypted vault."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from mhsw_desktop.domain.client import ClientStatus
from mhsw_desktop.domain.client_rules import ClientInput
from mhsw_desktop.errors import NotFoundError, ValidationError
from mhsw_desktop.services import clients
from mhsw_desktop.services.synthetic import synthetic_clients
from mhsw_desktop.vault.vault import Vault

ANA = ClientInput("Ana María", "González", date(1990, 2, 3), preferred_name="Ani")


def test_add_then_read_back_every_field(vault: Vault) -> None:
    data = replace(
        synthetic_clients(1, seed=7)[0],
        status=ClientStatus.ACTIVE,
        discharge_date=None,
        discharge_reason="",
    )
    with vault.unit_of_work() as session:
        client_id = clients.add_client(session, data)
    with vault.session() as session:
        detail = clients.get_client(session, client_id)
    assert detail.id == client_id
    assert detail.data == data


def test_invalid_client_is_not_saved(vault: Vault) -> None:
    with pytest.raises(ValidationError), vault.unit_of_work() as session:
        clients.add_client(session, replace(ANA, date_of_birth=date(2999, 1, 1)))
    with vault.session() as session:
        assert clients.list_clients(session, "all") == []


def test_list_is_ordered_by_last_then_first_name_and_filters_status(vault: Vault) -> None:
    with vault.unit_of_work() as session:
        for first, last, status in [
            ("Zoë", "Adams", ClientStatus.ACTIVE),
            ("Ben", "Adams", ClientStatus.ON_HOLD),
            ("Cy", "Brown", ClientStatus.ACTIVE),
        ]:
            clients.add_client(session, ClientInput(first, last, date(1980, 1, 1), status=status))
        gone = clients.add_client(
            session, ClientInput("Di", "Avery", date(1980, 1, 1), intake_date=date(2025, 1, 1))
        )
        clients.discharge_client(session, gone, date(2026, 1, 1), "Goals met.")
    with vault.session() as session:

        def names(status: clients.StatusFilter) -> list[str]:
            return [r.legal_first_name for r in clients.list_clients(session, status)]

        assert names("all") == ["Ben", "Zoë", "Di", "Cy"]
        assert names("active") == ["Zoë", "Cy"]
        assert names("current") == ["Ben", "Zoë", "Cy"]
        assert names("on_hold") == ["Ben"]
        assert names("discharged") == ["Di"]


def test_discharge_needs_a_reason_and_a_sane_date(vault: Vault) -> None:
    with vault.unit_of_work() as session:
        client_id = clients.add_client(session, replace(ANA, intake_date=date(2025, 3, 1)))
    for on, reason, field in [
        (date(2026, 1, 1), "  ", "discharge_reason"),
        (date(2024, 1, 1), "Moved.", "discharge_date"),
        (date(2999, 1, 1), "Moved.", "discharge_date"),
    ]:
        with pytest.raises(ValidationError) as caught, vault.unit_of_work() as session:
            clients.discharge_client(session, client_id, on, reason)
        assert field in caught.value.errors
    with vault.session() as session:
        assert clients.get_client(session, client_id).data.status is ClientStatus.ACTIVE


def test_update_and_tombstone(vault: Vault) -> None:
    with vault.unit_of_work() as session:
        client_id = clients.add_client(session, ANA)
    with vault.unit_of_work() as session:
        clients.update_client(session, client_id, replace(ANA, pronouns="she/her"))
    with vault.session() as session:
        detail = clients.get_client(session, client_id)
        assert detail.data.pronouns == "she/her"
        assert detail.updated_at >= detail.created_at
    with vault.unit_of_work() as session:
        clients.delete_client(session, client_id)
    with vault.session() as session:
        assert clients.list_clients(session, "all") == []
        assert clients.count_clients(session) == 0
        with pytest.raises(NotFoundError):
            clients.get_client(session, client_id)
    with vault.engine.connect() as conn:  # the row is kept for sync and audit
        assert conn.exec_driver_sql("SELECT count(*) FROM clients").scalar_one() == 1


@pytest.mark.parametrize(
    ("first", "last", "dob", "expected"),
    [
        ("Ana", "Gonzalez", date(1990, 2, 3), True),  # accents folded, first given name
        ("ANI", "GONZÁLEZ", date(1990, 2, 3), True),  # preferred name
        ("Ana María", "González", date(1990, 2, 4), False),  # another birthday
        ("Beatriz", "González", date(1990, 2, 3), False),  # another person
    ],
)
def test_likely_duplicates(vault: Vault, first: str, last: str, dob: date, expected: bool) -> None:
    with vault.unit_of_work() as session:
        clients.add_client(session, ANA)
    with vault.session() as session:
        found = clients.likely_duplicates(session, ClientInput(first, last, dob))
    assert bool(found) is expected


def test_synthetic_caseload_is_reproducible_and_valid(vault: Vault) -> None:
    day = date(2026, 11, 22)
    assert synthetic_clients(50, 3, day) == synthetic_clients(50, 3, day)
    assert synthetic_clients(50, 3, day) != synthetic_clients(50, 4, day)
    from mhsw_desktop.services.synthetic import fill_demo

    with vault.unit_of_work() as session:
        fill_demo(session, 300, seed=5, today=day)
    with vault.session() as session:
        rows = clients.list_clients(session, "all")
    assert len(rows) == 300
    assert {r.status for r in rows} == set(ClientStatus)
    assert any(not r.legal_last_name.isascii() for r in rows)
    assert all("555-01" in r.phone for r in rows)
