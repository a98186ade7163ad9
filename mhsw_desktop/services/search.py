"""Full-text search over notes and clients (FTS5 inside the encrypted database).

The services keep the index in step: every write of a client, a note, a signature or
an addendum calls one of the ``index_*`` functions in the same transaction. User queries
are translated by :func:`parse_query` into FTS5 syntax, so that a stray quote or an
operator in the wrong place gives a hint instead of an error from SQLite.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from mhsw_desktop.domain.ids import uuid_from_hex
from mhsw_desktop.errors import UserFacingError

#: around each match in a snippet; the UI escapes the text, then turns these into markup
HIGHLIGHT_START = "\x02"
HIGHLIGHT_END = "\x03"
MAX_QUERY = 500
#: how many of the most recent matches are ranked (see :func:`search`)
RANK_WINDOW = 1000
_TOKEN = re.compile(r'"[^"]*"|\S+')
_WORD = re.compile(r"[\w'’-]+\*?", re.UNICODE)


class SearchQueryError(UserFacingError):
    """A query that cannot be understood; the message is the hint to show."""


@dataclass(frozen=True)
class SearchHit:
    kind: str  # "note" or "client"
    ref_id: uuid.UUID
    client_id: uuid.UUID | None
    client_name: str
    date: date | None
    title: str
    snippet: str
    rank: float

    def to_json(self, *, markers: tuple[str, str] = ("[", "]")) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": str(self.ref_id),
            "client_id": str(self.client_id) if self.client_id else None,
            "client_name": self.client_name,
            "date": self.date.isoformat() if self.date else None,
            "title": self.title,
            "snippet": plain_snippet(self.snippet, markers),
        }


def plain_snippet(snippet: str, markers: tuple[str, str] = ("[", "]")) -> str:
    return snippet.replace(HIGHLIGHT_START, markers[0]).replace(HIGHLIGHT_END, markers[1])


# -- queries ---------------------------------------------------------------------------
def parse_query(query: str) -> str:
    """Turn what a person types into an FTS5 expression, or raise SearchQueryError.

    Words are ANDed; ``"two words"`` is a phrase; ``word*`` a prefix; ``OR`` between two
    terms widens; ``-word`` (or ``NOT word``) excludes. Punctuation inside words is
    dropped, so "A&O x3" or "e-mail" search as words rather than as syntax.
    """
    text_ = query.strip()
    if not text_:
        raise SearchQueryError("Type a word to search for.")
    if len(text_) > MAX_QUERY:
        raise SearchQueryError(f"A search can be at most {MAX_QUERY} characters long.")
    if text_.count('"') % 2:
        raise SearchQueryError('A quotation mark is not closed: use "two words" for a phrase.')
    parts: list[str] = []
    pending_op: str | None = None
    for piece in _TOKEN.findall(text_):
        if piece in ("OR", "AND", "NOT"):
            if pending_op is not None:
                raise SearchQueryError(f"{pending_op} needs a word after it.")
            if not parts:
                raise SearchQueryError(f"{piece} needs a word before it.")
            pending_op = piece
            continue
        negate = piece.startswith("-") and len(piece) > 1
        term = _term(piece[1:] if negate else piece)
        if term is None:
            continue
        if negate or pending_op == "NOT":
            if not parts:
                raise SearchQueryError("Start with a word to find; then exclude with -word.")
            parts.append(f"NOT {term}")
        elif pending_op == "OR":
            parts.append(f"OR {term}")
        else:
            parts.append(f"AND {term}" if parts else term)
        pending_op = None
    if pending_op is not None:
        raise SearchQueryError(f"{pending_op} needs a word after it.")
    if not parts:
        raise SearchQueryError("Type a word to search for (punctuation alone finds nothing).")
    return " ".join(parts)


def _term(token: str) -> str | None:
    if token.startswith('"'):
        words = _WORD.findall(token.strip('"'))
        words = [w.rstrip("*") for w in words]
        return '"' + " ".join(words) + '"' if words else None
    words = _WORD.findall(token)
    if not words:
        return None
    prefix = token.endswith("*")
    words = [w.rstrip("*").strip("'’-") for w in words]
    words = [w for w in words if w]
    if not words:
        return None
    if len(words) == 1:
        return f'"{words[0]}"' + ("*" if prefix else "")
    return '"' + " ".join(words) + '"'  # "A&O" -> the phrase "A O"


# -- the index -------------------------------------------------------------------------
def _doc_rowid(session: Session, ref_id: uuid.UUID) -> int | None:
    row = session.execute(
        text("SELECT rowid FROM search_docs WHERE ref_id = :ref"), {"ref": ref_id.hex}
    ).first()
    return None if row is None else int(row[0])


def index_document(
    session: Session,
    *,
    kind: str,
    ref_id: uuid.UUID,
    client_id: uuid.UUID | None,
    day: date | None,
    title: str,
    body: str,
    private: str = "",
    template_key: str | None = None,
    signed: bool = False,
) -> None:
    """Add or replace the searchable text of one record."""
    rowid = _doc_rowid(session, ref_id)
    values = {
        "kind": kind,
        "ref": ref_id.hex,
        "client": client_id.hex if client_id else None,
        "day": day.isoformat() if day else None,
        "template": template_key,
        "signed": int(signed),
    }
    if rowid is None:
        result = session.execute(
            text(
                "INSERT INTO search_docs (kind, ref_id, client_id, day, template_key, signed)"
                " VALUES (:kind, :ref, :client, :day, :template, :signed) RETURNING rowid"
            ),
            values,
        )
        rowid = int(result.scalar_one())
    else:
        session.execute(
            text(
                "UPDATE search_docs SET kind = :kind, client_id = :client, day = :day,"
                " template_key = :template, signed = :signed WHERE rowid = :rowid"
            ),
            {**values, "rowid": rowid},
        )
        session.execute(text("DELETE FROM search_index WHERE rowid = :rowid"), {"rowid": rowid})
    session.execute(
        text(
            "INSERT INTO search_index (rowid, title, body, private)"
            " VALUES (:rowid, :title, :body, :private)"
        ),
        {"rowid": rowid, "title": title, "body": body, "private": private},
    )


def mark_signed(session: Session, ref_id: uuid.UUID) -> None:
    """A note was signed: its text is indexed already, only the filter flag changes."""
    session.execute(
        text("UPDATE search_docs SET signed = 1 WHERE ref_id = :ref"), {"ref": ref_id.hex}
    )


def remove_document(session: Session, ref_id: uuid.UUID) -> None:
    rowid = _doc_rowid(session, ref_id)
    if rowid is not None:
        session.execute(text("DELETE FROM search_index WHERE rowid = :rowid"), {"rowid": rowid})
        session.execute(text("DELETE FROM search_docs WHERE rowid = :rowid"), {"rowid": rowid})


# -- searching -------------------------------------------------------------------------
def search(
    session: Session,
    query: str,
    *,
    client_id: uuid.UUID | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    template_key: str | None = None,
    signed: bool | None = None,
    include_private: bool = False,
    limit: int = 50,
) -> list[SearchHit]:
    """Ranked matches with snippets. Psychotherapy notes are searched only when asked.

    Ranking (bm25, titles weighted five times) runs over at most ``RANK_WINDOW`` matches,
    the most recently written ones, so that a word found in half of 500,000 notes still
    answers in a blink; snippets are built for the returned page only.
    """
    expression = parse_query(query)
    match = expression if include_private else "{title body} : (" + expression + ")"
    params: dict[str, Any] = {"match": match, "limit": max(1, min(limit, 500))}
    filters = []
    if client_id is not None:
        filters.append("client_id = :client")
        params["client"] = client_id.hex
    if date_from is not None:
        filters.append("day >= :date_from")
        params["date_from"] = date_from.isoformat()
    if date_to is not None:
        filters.append("day <= :date_to")
        params["date_to"] = date_to.isoformat()
    if template_key is not None:
        filters.append("template_key = :template")
        params["template"] = template_key
    if signed is not None:
        filters.append("kind = 'note' AND signed = :signed")
        params["signed"] = int(signed)
    where = "search_index MATCH :match"
    if filters:
        where += " AND rowid IN (SELECT rowid FROM search_docs WHERE " + " AND ".join(filters) + ")"

    # 1. Where the ranking window starts: the RANK_WINDOW-th newest match, if there are more.
    cutoff = session.execute(
        text(
            f"SELECT rowid FROM search_index WHERE {where}"
            " ORDER BY rowid DESC LIMIT 1 OFFSET :window"
        ),
        {**params, "window": RANK_WINDOW - 1},
    ).scalar()
    ranked_where = where + (" AND rowid >= :cutoff" if cutoff is not None else "")
    # 2. The best page by bm25, no snippets yet.
    ranked = session.execute(
        text(
            "SELECT rowid, bm25(search_index, 5.0, 1.0, 1.0) AS score FROM search_index"
            f" WHERE {ranked_where} ORDER BY score LIMIT :limit"
        ),
        {**params, "cutoff": cutoff},
    ).all()
    if not ranked:
        return []
    order = {int(rowid): (position, float(score)) for position, (rowid, score) in enumerate(ranked)}
    # 3. Snippets and what a result shows, for that page only.
    snippet_column = -1 if include_private else 1
    ids = ", ".join(str(rowid) for rowid in order)
    rows = session.execute(
        text(
            "SELECT search_index.rowid, d.kind, d.ref_id, d.client_id, d.day,"
            " search_index.title,"
            f" snippet(search_index, {snippet_column}, :start, :end, '…', 16),"
            " c.legal_last_name, c.legal_first_name"
            " FROM search_index JOIN search_docs d ON d.rowid = search_index.rowid"
            " LEFT JOIN clients c ON c.id = d.client_id"
            f" WHERE search_index MATCH :match AND search_index.rowid IN ({ids})"
        ),
        {"match": match, "start": HIGHLIGHT_START, "end": HIGHLIGHT_END},
    ).all()
    hits = []
    for rowid, kind, ref, client, day, title, snippet, last, first in sorted(
        rows, key=lambda r: order[int(r[0])][0]
    ):
        hits.append(
            SearchHit(
                kind=kind,
                ref_id=uuid_from_hex(ref),
                client_id=uuid_from_hex(client) if client else None,
                client_name=f"{last}, {first}" if last else "",
                date=date.fromisoformat(day) if day else None,
                title=title,
                snippet=snippet or "",
                rank=order[int(rowid)][1],
            )
        )
    return hits
