"""The demo caseload's safety plans: seeded, complete enough to sign, one for every client
whose PHQ-9 answered item 9, some revised into later versions."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from mhsw_desktop.services.clients import list_clients
from mhsw_desktop.services.measures import list_measures
from mhsw_desktop.services.safety_plans import get_safety_plan, signing_errors
from mhsw_desktop.services.synthetic import fill_demo
from tests.support import create_vault

DAY = date(2026, 11, 2)


def plans(folder: Path) -> tuple[list[tuple[int, str, tuple[str, ...]]], set[str], set[str]]:
    vault, _ = create_vault(folder)
    with vault:
        with vault.unit_of_work() as session:
            fill_demo(session, 40, seed=4, today=DAY, notes_per_client=1)
        with vault.session() as session:
            out, alerted, planned = [], set(), set()
            for client in list_clients(session, "all"):
                if any(m.alert for m in list_measures(session, client.id)):
                    alerted.add(str(client.id))
                state = get_safety_plan(session, client.id)
                if state is None:
                    continue
                planned.add(str(client.id))
                assert state.in_force is not None  # version 1 is always signed
                assert state.current.plan_date <= DAY
                if state.current.signed:
                    assert signing_errors(state.current.content) == {}
                out += [(len(state.versions), state.current.status.value,
                         state.current.content.warning_signs)]  # fmt: skip
    return out, alerted, planned


def test_synthetic_safety_plans_are_seeded_and_follow_the_alerts(tmp_path: Path) -> None:
    first, alerted, planned = plans(tmp_path / "a")
    assert first == plans(tmp_path / "b")[0]
    assert alerted and alerted <= planned  # every item-9 answer led to a plan
    assert len(planned) > len(alerted)  # and a few others have one too
    assert any(versions > 1 for versions, _, _ in first)
