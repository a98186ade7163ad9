"""The demo caseload's care teams: invented people only, every state of a release, seeded."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from mhsw_desktop.services.care_team import list_team
from mhsw_desktop.services.clients import list_clients
from mhsw_desktop.services.collaborators import list_collaborators
from mhsw_desktop.services.releases import list_releases
from mhsw_desktop.services.synthetic import fill_demo
from tests.support import create_vault

DAY = date(2026, 11, 2)


def caseload(folder: Path) -> tuple[list[int], list[str], set[str]]:
    vault, _ = create_vault(folder)
    with vault:
        with vault.unit_of_work() as session:
            fill_demo(session, 30, seed=4, today=DAY, notes_per_client=1)
        with vault.session() as session:
            people = list_collaborators(session)
            clients = list_clients(session, "all")
            teams = [len(list_team(session, c.id)) for c in clients]
            statuses = {
                r.status.value for c in clients for r in list_releases(session, c.id, today=DAY)
            }
            for client in clients:
                members = {m.collaborator_id for m in list_team(session, client.id)}
                released = {r.collaborator_id for r in list_releases(session, client.id)}
                assert members <= released, "every team member has a release"
    phones = [p.phone for p in people]
    assert all(re.fullmatch(r"\(\d{3}\) 555-01\d\d", phone) for phone in phones)
    assert all(p.email.endswith("@example.org") for p in people)
    return teams, sorted(p.name for p in people), statuses


def test_synthetic_care_teams_are_seeded_and_invented(tmp_path: Path) -> None:
    first = caseload(tmp_path / "a")
    assert first == caseload(tmp_path / "b")
    teams, names, statuses = first
    assert len(names) == 8 and sum(teams) >= 20 and max(teams) <= 2
    assert {"active", "expiring"} <= statuses
