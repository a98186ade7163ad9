"""The demo caseload's measures: seeded, valid by the rules, with a few alerts to review."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from mhsw_desktop.services.clients import list_clients
from mhsw_desktop.services.measures import alerts, list_events, list_measures
from mhsw_desktop.services.synthetic import fill_demo
from tests.support import create_vault

DAY = date(2026, 11, 2)


def caseload(folder: Path) -> tuple[list[tuple[str, int | None]], int, int, int]:
    vault, _ = create_vault(folder)
    with vault:
        with vault.unit_of_work() as session:
            fill_demo(session, 30, seed=4, today=DAY, notes_per_client=1)
        with vault.session() as session:
            clients = list_clients(session, "all")
            rows = [r for c in clients for r in list_measures(session, c.id)]
            events = sum(len(list_events(session, c.id)) for c in clients)
            open_alerts = len(alerts(session, DAY))
    every_alert = sum(r.alert for r in rows)
    assert all(r.taken_on <= DAY for r in rows)
    return [(r.kind, r.total) for r in rows], events, open_alerts, every_alert


def test_synthetic_measures_are_seeded_and_varied(tmp_path: Path) -> None:
    first = caseload(tmp_path / "a")
    assert first == caseload(tmp_path / "b")
    totals, events, _open_alerts, every_alert = first
    kinds = {kind for kind, _ in totals}
    assert kinds == {"phq9", "gad7"}
    assert len(totals) >= 100 and events >= 5
    assert every_alert >= 1  # early item-9 answers, reviewed since
    assert any(total is None for _, total in totals)  # now and then an incomplete form
