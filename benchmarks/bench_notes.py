"""Notes figures: search p95, a client's timeline, draft autosave p95, unlock to usable.

Issue #3 targets (2-core machine): 500 clients x 100 notes: search p95 <= 50 ms, open a
client timeline <= 100 ms, draft save p95 <= 10 ms; 2,000 x 250 notes: search p95 <=
150 ms, unlock to usable window <= 300 ms after the KDF. Each database figure is printed
with its ratio to the same work on an unencrypted copy (``sqlcipher_export``).

The vault is filled in bulk (the same synthetic text the generator writes, inserted
with executemany) so that 50,000 notes take a minute, not an hour. Usage:

    .venv/bin/python benchmarks/bench_notes.py [--clients 500] [--notes 100]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from mhsw_desktop.domain.ids import new_id, utcnow
from mhsw_desktop.domain.note import Note
from mhsw_desktop.services import notes as notes_service
from mhsw_desktop.services.clients import list_clients
from mhsw_desktop.services.search import search
from mhsw_desktop.services.synthetic import fill_demo
from mhsw_desktop.services.synthetic_notes import SIGNER, synthetic_sections
from mhsw_desktop.services.templates import builtin_templates
from mhsw_desktop.vault import kdf
from mhsw_desktop.vault.keyfile import KeyFile
from mhsw_desktop.vault.vault import DB_NAME, KEY_NAME, Vault, is_vault

PASSPHRASE = "benchmark harbor lantern 314 quill"
OUT = ROOT / "bench-out"
QUERIES = ("panic", "sleep", "eviction", "grocery store", '"thought record"', "anx*",
           "housing", "mother", "cravings", "breathing", "school", "safety plan",
           "truck", "fishing", "walk*", "rent late")  # fmt: skip


def bulk_fill(folder: Path, clients: int, per_client: int) -> None:
    vault, _ = Vault.create(folder, PASSPHRASE, params=kdf.minimum_params())
    rng = random.Random(7)
    today = date.today()
    templates = {t.key: t for t in builtin_templates()}
    with vault:
        with vault.unit_of_work() as session:
            fill_demo(session, clients, seed=11)
            ids = [(r.id, r.intake_date) for r in list_clients(session, "all")]
        note_rows, doc_rows, fts_rows = [], [], []
        rowid = 10_000_000
        for client_id, intake in ids:
            span = max((today - intake).days, 1)
            for _ in range(per_client):
                key = rng.choice(list(templates))
                sections = synthetic_sections(rng, key)
                day = intake + timedelta(days=rng.randint(0, span))
                written = datetime.combine(day, datetime.min.time()) + timedelta(hours=17)
                signed = rng.random() < 0.95
                note = Note(
                    id=new_id(), client_id=client_id, session_date=day, start_time=None,
                    duration_minutes=50, service_type="individual", location="office",
                    present="Client", template_key=key,
                    template_snapshot=templates[key].to_json(),
                    sections=json.dumps(sections, sort_keys=True), mental_status="{}",
                    risk_level="none", risk_comment="", interventions="", plan="",
                    next_appointment=None, psychotherapy_note="",
                    signed_at=written if signed else None,
                    signer_name=SIGNER.name if signed else "",
                    signer_credentials=SIGNER.credentials if signed else "",
                    signer_licence=SIGNER.licence if signed else "",
                )  # fmt: skip
                digest = notes_service.content_hash(note) if signed else ""
                note_rows.append({
                    "id": note.id.hex, "client_id": client_id.hex, "day": day.isoformat(),
                    "key": key, "snap": note.template_snapshot, "sections": note.sections,
                    "signed_at": written.isoformat(sep=" ") if signed else None,
                    "name": note.signer_name, "cred": note.signer_credentials,
                    "lic": note.signer_licence, "hash": digest,
                    "now": written.isoformat(sep=" "),
                })  # fmt: skip
                rowid += 1
                doc_rows.append(
                    {
                        "rowid": rowid,
                        "ref": note.id.hex,
                        "client": client_id.hex,
                        "day": day.isoformat(),
                        "key": key,
                        "signed": int(signed),
                    }
                )
                fts_rows.append({"rowid": rowid, "title": f"{key} note {day.isoformat()}",
                                 "body": "\n".join(sections.values())})  # fmt: skip
        with vault.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO notes (id, created_at, updated_at, client_id, session_date,"
                    " service_type, location, present, template_key, template_snapshot,"
                    " sections, mental_status, risk_level, risk_comment, interventions, plan,"
                    " psychotherapy_note, signed_at, signer_name, signer_credentials,"
                    " signer_licence, content_hash, entered_in_error_reason)"
                    " VALUES (:id, :now, :now, :client_id, :day, 'individual', 'office',"
                    " 'Client', :key, :snap, :sections, '{}', 'none', '', '', '', '',"
                    " :signed_at, :name, :cred, :lic, :hash, '')"
                ),
                note_rows,
            )
            conn.execute(
                text(
                    "INSERT INTO search_docs (rowid, kind, ref_id, client_id, day, template_key,"
                    " signed) VALUES (:rowid, 'note', :ref, :client, :day, :key, :signed)"
                ),
                doc_rows,
            )
            conn.execute(
                text(
                    "INSERT INTO search_index (rowid, title, body, private)"
                    " VALUES (:rowid, :title, :body, '')"
                ),
                fts_rows,
            )
            conn.exec_driver_sql("INSERT INTO search_index(search_index) VALUES ('optimize')")


def plain_copy(folder: Path) -> Path:
    plain = folder.parent / f"{folder.name}-plain.sqlite"
    if not plain.exists():
        with Vault.open(folder, PASSPHRASE) as vault, vault.engine.connect() as conn:
            conn.exec_driver_sql(f"ATTACH DATABASE '{plain}' AS plain KEY ''")
            conn.exec_driver_sql("SELECT sqlcipher_export('plain')")
            conn.commit()
            conn.exec_driver_sql("DETACH DATABASE plain")
    return plain


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[18] * 1000 if len(samples) > 1 else samples[0]


def timed(fn, repeat: int) -> list[float]:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples


def measure(session: Session, client_ids: list) -> tuple[list[float], list[float]]:  # type: ignore[type-arg]
    searches: list[float] = []
    for query in QUERIES:
        searches += timed(lambda q=query: search(session, q), 3)
    timelines: list[float] = []
    for client_id in client_ids:
        timelines += timed(lambda c=client_id: notes_service.list_notes(session, c), 1)
    return searches, timelines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--notes", type=int, default=100, help="notes per client")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    folder = OUT / f"notes-{args.clients}x{args.notes}"
    if not is_vault(folder):
        print(f"filling {folder} in bulk …", flush=True)
        start = time.perf_counter()
        bulk_fill(folder, args.clients, args.notes)
        print(f"  filled in {time.perf_counter() - start:.0f} s")
    plain = plain_copy(folder)
    total = args.clients * args.notes
    size = (folder / DB_NAME).stat().st_size / 1e6
    print(f"vault: {args.clients} clients x {args.notes} notes = {total} notes, {size:.0f} MB")

    key_file = KeyFile.load(folder / KEY_NAME)
    data_key = key_file.unwrap_with_passphrase(PASSPHRASE)
    assert data_key is not None
    start = time.perf_counter()
    vault = Vault._open_database(folder, key_file, data_key, migrate=True)  # after the KDF
    with vault.session() as session:
        rows = list_clients(session, "current")
    unlock_ms = (time.perf_counter() - start) * 1000
    print(f"unlock (after KDF) -> client list loaded: {unlock_ms:.0f} ms  (target <= 300)")

    sample = [r.id for r in random.Random(3).sample(rows, min(40, len(rows)))]
    with vault.session() as session:
        enc_search, enc_timeline = measure(session, sample)
    with vault.session() as session:
        session.execute(text("PRAGMA cipher_memory_security = ON"))
        wiped_search, _ = measure(session, sample[:1])
        session.execute(text("PRAGMA cipher_memory_security = OFF"))
    plain_engine = create_engine(f"sqlite:///{plain}")
    with Session(plain_engine) as session:
        plain_search, plain_timeline = measure(session, sample)
    plain_engine.dispose()
    print(f"search p95 over {len(QUERIES)} queries: {p95(enc_search):.1f} ms "
          f"(plain {p95(plain_search):.1f} ms, ratio {p95(enc_search) / p95(plain_search):.2f}x)"
          "  (target <= 50 at 50k notes, <= 150 at 500k)")  # fmt: skip
    print(f"  the same with cipher_memory_security ON: p95 {p95(wiped_search):.1f} ms")
    print(f"client timeline p95: {p95(enc_timeline):.1f} ms (plain {p95(plain_timeline):.1f} ms,"
          f" ratio {p95(enc_timeline) / p95(plain_timeline):.2f}x)  (target <= 100)")  # fmt: skip

    with vault.unit_of_work() as session:
        draft = notes_service.create_draft(
            session, notes_service.NoteInput(sample[0], date.today(), "soap", {})
        )
    saves = []
    rng = random.Random(5)
    for n in range(60):
        data = notes_service.NoteInput(
            sample[0], date.today(), "soap",
            {"subjective": "Client reported " + " ".join(rng.choice(QUERIES) for _ in range(80)),
             "plan": f"revision {n}"},
        )  # fmt: skip
        start = time.perf_counter()
        with vault.unit_of_work() as session:
            notes_service.save_draft(session, draft, data)
        saves.append(time.perf_counter() - start)
    print(f"draft autosave (commit, synchronous=FULL) p95: {p95(saves):.1f} ms  (target <= 10)")
    vault.lock()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: {peak:.0f} MB   ({utcnow():%Y-%m-%d %H:%M} UTC)")


if __name__ == "__main__":
    main()
