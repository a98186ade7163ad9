"""Forms the client signs by hand: consent to treatment, consent to telehealth, and the
authorization to release information.

Their texts are data (``resources/i18n/<code>/consent.json`` and ``release.json``), a
sound default for a private practice that the practice should review against its own
policies: the small print says so, with the form's version, its language(s) and a short
digest of the exact text printed, so that a signed paper copy tells an audit which text
the client agreed to.

A copy in one language reads top to bottom in calm, readable type. A bilingual copy sets
the running text in two columns side by side, the client's language on the left and the
English, quieter, on the right; labels, headings and the one shared set of signature
lines carry both languages. The type is the largest that keeps each form to its pages
(about two) on the practice's paper.

A release form is blank for the client to fill in, or, from a recorded release, filled
in with its recipient, what it covers, its purpose and its dates.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table
from sqlalchemy.orm import Session

from mhsw_desktop.domain.care_team import Category
from mhsw_desktop.domain.language import text
from mhsw_desktop.errors import NotFoundError, UserFacingError, ValidationError
from mhsw_desktop.reports.base import (
    ACCENT,
    BOLD,
    CALM,
    FONT,
    INK,
    MUTED,
    RULE,
    PageMark,
    Pdf,
    ReportDocument,
    layout_style,
    para,
    practice_block,
    render,
    styles,
    table_style,
)
from mhsw_desktop.reports.tongue import SECOND_COLOR, Tongue
from mhsw_desktop.services.report_data import PracticeHeader, PreparedFor

if TYPE_CHECKING:
    from mhsw_desktop.reports.make import ReportRequest

#: the version of each form's default text: change it whenever its text changes
FORM_VERSIONS = {
    "treatment-consent-form": "2026-1",
    "telehealth-consent-form": "2026-1",
    "release-form": "2026-1",
}
#: the sections of the two consents, in order (``<prefix>.<name>.heading`` and ``.body``)
TREATMENT_SECTIONS = (
    "services",
    "rights",
    "confidentiality",
    "records",
    "emergencies",
    "fees",
    "ending",
    "questions",
)
TELEHEALTH_SECTIONS = (
    "what",
    "benefits",
    "risks",
    "privacy",
    "connection",
    "emergency",
    "recording",
    "choice",
)
#: the blanks of the telehealth consent, and how many lines each gets to write on
TELEHEALTH_BLANKS = (("location", 2), ("emergency_contact", 1), ("callback", 1))
#: the categories the release form lists as check boxes; the other two have boxes of
#: their own (they need the client's specific consent)
GENERAL_CATEGORIES = tuple(
    c for c in Category if c not in (Category.PSYCHOTHERAPY_NOTES, Category.SUBSTANCE_USE)
)
#: the body type sizes tried, largest first, until the form fits its pages
SIZES = (12.0, 11.5, 11.0, 10.5, 10.0)
BILINGUAL_SIZES = (10.5, 10.0, 9.5, 9.0)
#: how many pages each form should take (a bilingual copy may take one more)
PAGES = {"treatment-consent-form": 2, "telehealth-consent-form": 2, "release-form": 2}

SECOND = colors.HexColor(SECOND_COLOR)
UNCHECKED = "\u2610"
CHECKED = "\u2612"
COLUMN_GAP = 0.7 * cm


# -- the data ----------------------------------------------------------------------------
@dataclass(frozen=True)
class FormClient:
    name: str
    date_of_birth: date | None
    interpreter_needed: bool


@dataclass(frozen=True)
class ReleaseFill:
    """What a recorded release fills in on the form."""

    recipient: str
    organisation: str
    address: str
    phone: str
    categories: tuple[Category, ...]
    purpose: str
    signed_date: date
    expiry_date: date | None
    expiry_event: str
    revoked_date: date | None
    substance_use_consent: str


@dataclass(frozen=True)
class FormData:
    kind: str
    practice: PracticeHeader
    client: FormClient
    release: ReleaseFill | None = None


def prepare(
    session: Session, request: ReportRequest, tongue: Tongue
) -> tuple[Callable[[PreparedFor | None], Pdf], set[Category]]:
    """Gather one form's data; return how to build it (never for a collaborator)."""
    from mhsw_desktop.services.clients import get_client
    from mhsw_desktop.services.report_data import practice_header

    kind = request.kind
    if kind not in FORM_VERSIONS:
        raise ValidationError({"kind": f"{kind} is not a consent or release form"})
    if request.release_id is not None and kind != "release-form":
        raise ValidationError({"release": "is for the release form only"})
    if request.client_id is None:
        raise ValidationError({"client": "is required for this form"})
    client = get_client(session, request.client_id)
    facts = FormClient(
        name=f"{client.data.legal_first_name} {client.data.legal_last_name}".strip(),
        date_of_birth=client.data.date_of_birth,
        interpreter_needed=client.data.interpreter_needed,
    )
    fill = None
    if request.release_id is not None:
        fill = _release_fill(session, request.release_id, client.id)
    data = FormData(kind, practice_header(session), facts, fill)
    return (lambda _shared: build(data, tongue)), set()


def _release_fill(session: Session, release_id: uuid.UUID, client_id: uuid.UUID) -> ReleaseFill:
    from mhsw_desktop.services.collaborators import get_collaborator
    from mhsw_desktop.services.releases import get_release

    release = get_release(session, release_id)
    if release.client_id != client_id:
        raise NotFoundError(
            "That release of information is another client's: a release form is filled "
            "in only from the client's own releases. Nothing was written."
        )
    organisation = address = phone = ""
    recipient = release.collaborator_name
    try:
        collaborator = get_collaborator(session, release.collaborator_id)
    except UserFacingError:  # removed from the directory since: the release still names them
        pass
    else:
        recipient = collaborator.display_name
        organisation, address, phone = (
            collaborator.organisation,
            collaborator.address,
            collaborator.phone,
        )
    return ReleaseFill(
        recipient=recipient,
        organisation=organisation,
        address=address,
        phone=phone,
        categories=release.categories,
        purpose=release.purpose,
        signed_date=release.signed_date,
        expiry_date=release.expiry_date,
        expiry_event=release.expiry_event,
        revoked_date=release.revoked_date,
        substance_use_consent=release.substance_use_consent,
    )


# -- styles --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Look:
    """The styles of one build, from its body size."""

    size: float
    body: ParagraphStyle
    second: ParagraphStyle
    bullet: ParagraphStyle
    second_bullet: ParagraphStyle
    heading: ParagraphStyle
    second_heading: ParagraphStyle
    title: ParagraphStyle
    subtitle: ParagraphStyle
    label: ParagraphStyle
    value: ParagraphStyle
    small: ParagraphStyle


def look(size: float) -> Look:
    body = ParagraphStyle("cf-body", fontName=FONT, fontSize=size, leading=size * 1.33,
                          textColor=INK, spaceAfter=size * 0.3)  # fmt: skip
    second = ParagraphStyle("cf-second", parent=body, textColor=SECOND)
    indent = size * 1.3
    bullet = ParagraphStyle("cf-bullet", parent=body, leftIndent=indent, bulletIndent=size * 0.2,
                            bulletFontName=FONT, spaceAfter=size * 0.2)  # fmt: skip
    heading = ParagraphStyle("cf-heading", parent=body, fontName=BOLD, fontSize=size * 1.12,
                             leading=size * 1.45, textColor=ACCENT, spaceBefore=size * 0.45,
                             spaceAfter=size * 0.2, keepWithNext=1)  # fmt: skip
    return Look(
        size=size,
        body=body,
        second=second,
        bullet=bullet,
        second_bullet=ParagraphStyle("cf-second-bullet", parent=bullet, textColor=SECOND),
        heading=heading,
        second_heading=ParagraphStyle("cf-second-heading", parent=heading, textColor=SECOND),
        title=ParagraphStyle("cf-title", parent=body, fontName=BOLD, fontSize=size * 1.8,
                             leading=size * 2.2, textColor=ACCENT, spaceAfter=0),
        subtitle=ParagraphStyle("cf-subtitle", parent=body, fontSize=size * 1.2,
                                leading=size * 1.6, textColor=SECOND, spaceAfter=0),
        label=ParagraphStyle("cf-label", parent=body, fontSize=size * 0.82, leading=size * 1.02,
                             textColor=MUTED, spaceAfter=0),
        value=ParagraphStyle("cf-value", parent=body, spaceAfter=0),
        small=ParagraphStyle("cf-small", parent=body, fontSize=max(size * 0.72, 7),
                             leading=max(size * 0.72, 7) * 1.3, textColor=MUTED, spaceAfter=0),
    )  # fmt: skip


# -- the form's texts --------------------------------------------------------------------------
@dataclass
class Form:
    """One build's texts: every text printed goes through here, so the digest in the small
    print covers exactly what the client reads."""

    kind: str
    tongue: Tongue
    look: Look
    width: float
    used: set[tuple[str, str]] = field(default_factory=set)

    def t(self, code: str, family: str, key: str) -> str:
        self.used.add((family, key))
        return text(code, family, key)

    def label(self, family: str, key: str) -> str:
        """A label in every language of the copy, one after the other (markup)."""
        parts: list[str] = []
        for code in self.tongue.languages:
            part = escape(self.t(code, family, key))
            if part not in parts:
                parts.append(part)
        first, *rest = parts
        return first + "".join(f' / <font color="{SECOND_COLOR}"><i>{p}</i></font>' for p in rest)

    def digest(self) -> str:
        """A short hash of every text this copy printed, in each of its languages."""
        sha = hashlib.sha256()
        for code in self.tongue.languages:
            for family, key in sorted(self.used):
                sha.update(f"{code}:{family}.{key}={text(code, family, key)}\n".encode())
        return sha.hexdigest()[:8]


def _blocks(words: str, body: ParagraphStyle, bullet: ParagraphStyle) -> list[Flowable]:
    """A text's lines as paragraphs, those starting with "- " as bullets."""
    out: list[Flowable] = []
    for line in words.split("\n"):
        line = line.strip()
        if line.startswith("- "):
            out.append(Paragraph(escape(line[2:]), bullet, bulletText="•"))
        elif line:
            out.append(Paragraph(escape(line), body))
    return out


def running(form: Form, family: str, body: str, heading: str | None = None) -> list[Flowable]:
    """A passage of running text (and its heading): in one column, or the client's
    language and English side by side."""
    lk = form.look
    columns = []
    for n, code in enumerate(form.tongue.languages):
        first = n == 0
        cell: list[Flowable] = []
        if heading is not None:
            style = lk.heading if first else lk.second_heading
            cell.append(Paragraph(escape(form.t(code, family, heading)), style))
        cell += _blocks(
            form.t(code, family, body),
            lk.body if first else lk.second,
            lk.bullet if first else lk.second_bullet,
        )
        columns.append(cell)
    if len(columns) == 1:
        return columns[0]
    half = (form.width - COLUMN_GAP) / 2
    table = Table([[columns[0], "", columns[1]]], colWidths=[half, COLUMN_GAP, half],
                  splitInRow=1)  # fmt: skip
    table.setStyle(
        layout_style(
            ("LINEAFTER", (0, 0), (0, -1), 0.4, RULE),
        )
    )
    return [table]


def heading(form: Form, family: str, key: str, number: int | None = None) -> Paragraph:
    """A form section's heading, in every language of the copy on one line."""
    prefix = f"{number}. " if number is not None else ""
    return Paragraph(prefix + form.label(family, key), form.look.heading)


def field_rows(
    form: Form,
    label: str,
    value: str = "",
    *,
    lines: int = 1,
    label_share: float = 0.32,
    above: bool = False,
) -> Table:
    """A label and ruled lines to write on (the value, as typed, when it is known): the
    label beside the first line, or ``above`` them (or none, for lines alone)."""
    lk = form.look
    first: Any = Paragraph(para(value), lk.value) if value else ""
    rule = 1
    if above or not label:
        rows: list[list[Any]] = [[first], *([""] for _ in range(lines - 1))]
        if label:
            rows.insert(0, [Paragraph(label, lk.label)])
        rule = 0 if not label else 1
        widths = [form.width]
        style: list[tuple[Any, ...]] = [
            ("TOPPADDING", (0, rule), (-1, -1), lk.size * 0.9),
            ("LINEBELOW", (0, rule), (-1, -1), 0.6, RULE),
            ("TOPPADDING", (0, 0), (-1, rule - 1), lk.size * 0.3) if label else ("",),
        ]
        style = [s for s in style if s != ("",)]
    else:
        label_w = form.width * label_share
        rows = [[Paragraph(label, lk.label), first], *(["", ""] for _ in range(lines - 1))]
        widths = [label_w, form.width - label_w]
        style = [
            ("RIGHTPADDING", (0, 0), (0, -1), 6),
            ("TOPPADDING", (0, 0), (-1, -1), lk.size * 0.9),
            ("LINEBELOW", (1, 0), (1, -1), 0.6, RULE),
        ]
    table = Table(rows, colWidths=widths, hAlign="LEFT")
    table.setStyle(
        table_style(
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            *style,
        )
    )
    return table


def side_by_side(form: Form, make: Sequence[Callable[[Form], list[Flowable]]]) -> Table:
    """Blocks in columns next to each other, each made for its column's width."""
    gap = COLUMN_GAP
    width = (form.width - gap * (len(make) - 1)) / len(make)
    cells: list[Any] = []
    widths: list[float] = []
    for n, maker in enumerate(make):
        if n:
            cells.append("")
            widths.append(gap)
        cells.append(maker(Form(form.kind, form.tongue, form.look, width, form.used)))
        widths.append(width)
    table = Table([cells], colWidths=widths)
    table.setStyle(layout_style())
    return table


def check_line(form: Form, label: str, checked: bool) -> Paragraph:
    box = CHECKED if checked else UNCHECKED
    size = form.look.size
    style = ParagraphStyle("cf-check", parent=form.look.value, leftIndent=size * 1.7,
                           bulletIndent=0, bulletFontName=FONT, bulletFontSize=size * 1.25,
                           spaceAfter=size * 0.3)  # fmt: skip
    return Paragraph(label, style, bulletText=box)


#: a signature row's columns: the signature, the printed name, the date (and gaps)
SIGNATURE_COLUMNS = (0.42, 0.03, 0.33, 0.03, 0.19)


def signature_row(
    form: Form, signature: str, name_label: str, name: str = "", on: str = ""
) -> Table:
    """A line to sign on, one for the printed name and one for the date, labelled under
    them; ``name`` (user text) and ``on`` are filled in when the record has them."""
    lk = form.look
    filled = [Paragraph(para(value), lk.value) if value else "" for value in (name, on)]
    rows: list[list[Any]] = [
        ["", "", filled[0], "", filled[1]],
        [Paragraph(signature, lk.label), "", Paragraph(name_label, lk.label), "",
         Paragraph(form.label("common", "date"), lk.label)],
    ]  # fmt: skip
    widths = [form.width * share for share in SIGNATURE_COLUMNS]
    table = Table(rows, colWidths=widths, rowHeights=[lk.size * 2.3, None])
    table.setStyle(
        table_style(
            ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
            ("VALIGN", (0, 1), (-1, 1), "TOP"),
            *(("LINEBELOW", (c, 0), (c, 0), 0.8, INK) for c in (0, 2, 4)),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 1), (-1, 1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, 0), 2),
            ("BOTTOMPADDING", (0, 1), (-1, 1), lk.size * 0.35),
        )
    )
    return table


def signatures(
    form: Form, data: FormData, *, representative: tuple[str, str], client_on: str = ""
) -> list[Flowable]:
    """The one set of signature lines: the client, a parent, guardian or representative,
    an interpreter when the client's record says one is needed, and the clinician."""
    lk = form.look
    practice = data.practice
    printed = form.label("common", "printed_name")
    out: list[Flowable] = [
        Paragraph(form.label("consent", "form.signatures"), lk.heading),
        signature_row(form, form.label("common", "signature_client"), printed,
                      data.client.name, client_on),
        signature_row(form, form.label("common", "signature_guardian"),
                      form.label(*representative)),
    ]  # fmt: skip
    if data.client.interpreter_needed:
        out += [
            Spacer(1, lk.size * 0.3),
            Paragraph(form.label("consent", "form.interpreter_statement"), lk.label),
            signature_row(form, form.label("consent", "form.signature_interpreter"),
                          form.label("common", "interpreter")),
        ]  # fmt: skip
    who = ", ".join(p for p in (practice.practitioner_name, practice.credentials) if p)
    out.append(signature_row(form, form.label("common", "signature_clinician"), printed, who))
    return out


def small_print(form: Form) -> list[Flowable]:
    """That the practice should review the default text, and which text this is."""
    lk = form.look
    lines = [escape(form.t(code, "consent", "form.review")) for code in form.tongue.languages]
    digest = form.digest()  # of every text printed, this notice included
    version = FORM_VERSIONS[form.kind]
    for code in form.tongue.languages:
        words = text(code, "consent", "form.version", version=version,
                     languages=form.tongue.codes, digest=digest)  # fmt: skip
        if escape(words) not in lines:
            lines.append(escape(words))
    return [Spacer(1, lk.size * 0.5), Paragraph("<br/>".join(dict.fromkeys(lines)), lk.small)]


def opening(form: Form, data: FormData, title_family: str, title_key: str) -> list[Flowable]:
    """The practice, the title (and its English under it), the client's name and birth date."""
    lk = form.look
    tongue = form.tongue
    titles = [form.t(code, title_family, title_key) for code in tongue.languages]
    out: list[Flowable] = [
        PageMark(titled=True),
        practice_block(data.practice, styles(1.0), form.width, tongue),
        Spacer(1, lk.size * 0.8),
        Paragraph(escape(titles[0]), lk.title),
    ]
    if len(titles) > 1 and titles[1] != titles[0]:
        out.append(Paragraph(escape(titles[1]), lk.subtitle))
    out.append(Spacer(1, lk.size * 0.5))
    born = tongue.date(data.client.date_of_birth)
    half = form.width / 2
    facts = Table(
        [[Paragraph(form.label("common", "client_name"), lk.label),
          Paragraph(form.label("common", "date_of_birth"), lk.label)],
         [Paragraph(f"<b>{para(data.client.name)}</b>", lk.value),
          Paragraph(para(born), lk.value)]],
        colWidths=[half * 1.2, half * 0.8],
    )  # fmt: skip
    facts.setStyle(
        table_style(
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (-1, -1), CALM),
            ("LEFTPADDING", (0, 0), (-1, -1), lk.size * 0.6),
            ("TOPPADDING", (0, 0), (-1, 0), lk.size * 0.45),
            ("BOTTOMPADDING", (0, -1), (-1, -1), lk.size * 0.5),
            ("TOPPADDING", (0, 1), (-1, 1), 1),
        )
    )
    return [*out, facts, Spacer(1, lk.size * 0.4)]


# -- the three forms ----------------------------------------------------------------------------
def consent_story(form: Form, data: FormData) -> tuple[list[Flowable], list[Flowable]]:
    """The consent's text, and its closing (the signatures)."""
    prefix = "treatment" if form.kind == "treatment-consent-form" else "telehealth"
    sections = TREATMENT_SECTIONS if prefix == "treatment" else TELEHEALTH_SECTIONS
    lk = form.look
    story = opening(form, data, "consent", f"{prefix}.title")
    story += running(form, "consent", f"{prefix}.intro")
    for name in sections:
        story += running(form, "consent", f"{prefix}.{name}.body", f"{prefix}.{name}.heading")
    if prefix == "telehealth":
        details: list[Flowable] = [heading(form, "consent", "telehealth.details.heading")]
        for name, lines in TELEHEALTH_BLANKS:
            details.append(field_rows(form, form.label("consent", f"telehealth.blank.{name}"),
                                      lines=lines, label_share=0.4))  # fmt: skip
        story.append(KeepTogether(details))
    story += [Spacer(1, lk.size * 0.6), *running(form, "consent", f"{prefix}.agreement")]
    return story, signatures(form, data, representative=("consent", "form.relationship"))


def release_story(form: Form, data: FormData) -> tuple[list[Flowable], list[Flowable]]:
    """The release's text and blanks, and its closing (the signatures)."""
    lk = form.look
    tongue = form.tongue
    fill = data.release
    practice = data.practice
    story = opening(form, data, "release", "title")
    if fill is not None and fill.revoked_date is not None:
        # each language with the date as it writes dates
        notice = [
            escape(text(code, "release", "revoked", date=Tongue((code,)).date(fill.revoked_date)))
            for code in tongue.languages
        ]
        form.used.add(("release", "revoked"))
        story.append(_notice(form, notice))
    story += running(form, "release", "intro")

    def field(of: Form, key: str, value: str = "", *, lines: int = 1) -> Table:
        return field_rows(of, form.label("release", key), value, lines=max(lines, 1),
                          label_share=0.3)  # fmt: skip

    def giver(of: Form) -> list[Flowable]:
        who = ", ".join(p for p in (practice.practitioner_name, practice.credentials) if p)
        name = "\n".join(p for p in (who, practice.practice_name) if p)
        phone = tongue.phone(practice.phone) if practice.phone else ""
        return [
            heading(form, "release", "from.heading", 1),
            field(of, "field.name", name),
            field(of, "field.address", practice.address, lines=2 - bool(practice.address)),
            field(of, "field.phone", phone),
        ]

    def taker(of: Form) -> list[Flowable]:
        recipient, organisation, address, phone = (
            (fill.recipient, fill.organisation, fill.address, tongue.phone(fill.phone))
            if fill is not None
            else ("", "", "", "")
        )
        return [
            heading(form, "release", "to.heading", 2),
            field(of, "field.name", recipient),
            field(of, "field.organization", organisation),
            field(of, "field.address", address, lines=2 - bool(address)),
            field(of, "field.phone", phone),
        ]

    story.append(side_by_side(form, (giver, taker)))
    covered = set(fill.categories) if fill else set()
    what: list[Flowable] = [
        heading(form, "release", "what.heading", 3),
        Paragraph(form.label("release", "what.intro"), lk.body),
    ]
    checks = [check_line(form, form.label("release", f"category.{c.value}"), c in covered)
              for c in GENERAL_CATEGORIES]  # fmt: skip
    if tongue.bilingual:  # long labels: one a line
        what += checks
    else:
        middle = (len(checks) + 1) // 2
        what.append(side_by_side(form, (lambda _: checks[:middle], lambda _: checks[middle:])))
    story.append(KeepTogether(what))
    consent = fill.substance_use_consent if fill else ""
    story.append(_special(form, "substance", Category.SUBSTANCE_USE in covered, consent, lines=2))
    story.append(_special(form, "psychotherapy", Category.PSYCHOTHERAPY_NOTES in covered))
    purpose = fill.purpose if fill else ""
    ends_on = tongue.date(fill.expiry_date) if fill else ""
    ends_when = fill.expiry_event if fill else ""
    story += [
        KeepTogether([
            heading(form, "release", "purpose.heading", 4),
            field_rows(form, form.label("release", "purpose.intro"), purpose,
                       lines=1 if purpose else 2, above=True),
        ]),
        KeepTogether([
            heading(form, "release", "expiry.heading", 5),
            side_by_side(form, (
                lambda of: [field_rows(of, form.label("release", "expiry.date"), ends_on,
                                       above=True)],
                lambda of: [field_rows(of, form.label("release", "expiry.event"), ends_when,
                                       above=True)],
            )),
        ]),
    ]  # fmt: skip
    story += running(form, "release", "rights.body", "rights.heading")
    story += [Spacer(1, lk.size * 0.5), *running(form, "release", "agreement")]
    signed_on = tongue.date(fill.signed_date, "medium") if fill else ""  # a short line
    closing = signatures(form, data, representative=("release", "representative"),
                         client_on=signed_on)  # fmt: skip
    return story, closing


def _special(
    form: Form, name: str, checked: bool, described: str = "", *, lines: int = 0
) -> Flowable:
    """The box of a kind of information that needs the client's own, specific consent."""
    lk = form.look
    inner_w = form.width - 2 * lk.size * 0.7
    inner = Form(form.kind, form.tongue, lk, inner_w, form.used)
    check = check_line(inner, form.label("release", f"{name}.box"), checked)
    cells: list[Flowable] = [
        Paragraph(form.label("release", f"{name}.heading"), lk.heading),
        *running(inner, "release", f"{name}.body"),
    ]
    last: Flowable = check
    if lines:  # what the consent allows, written out; the initials beside its last line
        cells.append(check)
        if lines > 1:
            cells.append(field_rows(inner, "", described, lines=lines - 1))
        last = field_rows(Form(form.kind, form.tongue, lk, inner_w * 0.66, form.used), "",
                          "" if lines > 1 else described)  # fmt: skip
    initials = field_rows(Form(form.kind, form.tongue, lk, inner_w * 0.3, form.used),
                          form.label("release", "initials"), label_share=0.45)  # fmt: skip
    row = Table([[last, "", initials]], colWidths=[inner_w * 0.66, inner_w * 0.04, inner_w * 0.3])
    row.setStyle(
        table_style(
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        )
    )
    cells.append(row)
    box = Table([[cells]], colWidths=[form.width])
    box.setStyle(
        table_style(
            ("BOX", (0, 0), (-1, -1), 0.8, ACCENT),
            ("LEFTPADDING", (0, 0), (-1, -1), lk.size * 0.7),
            ("RIGHTPADDING", (0, 0), (-1, -1), lk.size * 0.7),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), lk.size * 0.6),
        )
    )
    return KeepTogether([Spacer(1, lk.size * 0.5), box])


def _notice(form: Form, lines: Sequence[str]) -> Flowable:
    lk = form.look
    box = Table([[Paragraph("<br/>".join(dict.fromkeys(lines)), lk.value)]],
                colWidths=[form.width])  # fmt: skip
    box.setStyle(
        table_style(
            ("BOX", (0, 0), (-1, -1), 1, colors.HexColor("#9b1c1c")),
            ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#fdecec")),
            ("LEFTPADDING", (0, 0), (-1, -1), lk.size * 0.6),
            ("TOPPADDING", (0, 0), (-1, -1), lk.size * 0.4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), lk.size * 0.5),
        )
    )
    return KeepTogether([box, Spacer(1, lk.size * 0.5)])


# -- building --------------------------------------------------------------------------------
def _title(data: FormData, tongue: Tongue) -> str:
    if data.kind == "release-form":
        return tongue.t("release", "title")
    prefix = "treatment" if data.kind == "treatment-consent-form" else "telehealth"
    return tongue.t("consent", f"{prefix}.title")


def build_at(data: FormData, tongue: Tongue, size: float) -> Pdf:
    """The form with its body type at ``size`` points."""
    title = _title(data, tongue)
    doc = ReportDocument(data.practice, title=title, running=f"{title}: {data.client.name}",
                         tongue=tongue)  # fmt: skip
    form = Form(data.kind, tongue, look(size), doc.content_width)
    maker = release_story if data.kind == "release-form" else consent_story
    story, closing = maker(form, data)
    # the signatures and the small print that says which text they sign stay on one page
    story.append(KeepTogether([*closing, *small_print(form)]))
    return render(doc, story)


def build(data: FormData, tongue: Tongue) -> Pdf:
    """The form in the largest type that keeps it to its pages (one more for a bilingual
    copy), or in the smallest type tried when nothing does."""
    pages = PAGES[data.kind] + (1 if tongue.bilingual else 0)
    pdf = None
    for size in fitting_sizes(tongue):
        pdf = build_at(data, tongue, size)
        if pdf.pages <= pages:
            break
    assert pdf is not None
    return pdf


def fitting_sizes(tongue: Tongue) -> Iterable[float]:
    return BILINGUAL_SIZES if tongue.bilingual else SIZES
