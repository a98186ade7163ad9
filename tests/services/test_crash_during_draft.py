"""A writer killed mid-draft (SIGKILL: no cleanup at all) loses nothing that was saved."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from mhsw_desktop.services import notes
from mhsw_desktop.vault.vault import Vault
from tests.support import PASSPHRASE, create_vault

WRITER = """
import sys, time
from datetime import date
from mhsw_desktop.domain.client_rules import ClientInput
from mhsw_desktop.services.clients import add_client
from mhsw_desktop.services import notes
from mhsw_desktop.vault.vault import Vault

vault = Vault.open(sys.argv[1], sys.argv[2])
with vault.unit_of_work() as s:
    client = add_client(s, ClientInput("Ana", "González", date(1990, 2, 3)))
    data = notes.NoteInput(client, date.today(), "free", {"note": "rev 0"})
    note_id = notes.create_draft(s, data)
    notes.set_editing(s, note_id, True)
print(note_id, flush=True)
n = 0
while True:  # an editor autosaving as the practitioner types
    n += 1
    with vault.unit_of_work() as s:
        notes.save_draft(s, note_id, notes.NoteInput(client, date.today(), "free",
                                                     {"note": f"rev {n}"}))
    print(n, flush=True)
    time.sleep(0.02)
"""


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_sigkill_mid_draft_keeps_every_saved_revision(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    create_vault(folder)[0].lock()
    child = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(folder), PASSPHRASE],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parents[2],
    )
    assert child.stdout is not None
    note_line = child.stdout.readline().strip()
    last = 0
    while last < 15:
        last = int(child.stdout.readline())
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL

    with Vault.open(folder, PASSPHRASE) as vault, vault.session() as session:
        recovered = notes.recovered_drafts(session, date.today())
        assert [str(d.id) for d in recovered] == [note_line]
        text = notes.get_note(session, recovered[0].id).data.sections["note"]
        assert int(text.split()[1]) >= last  # nothing acknowledged as saved was lost
        assert vault.verify().ok
