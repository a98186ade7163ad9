"""The forms a client signs by hand, read back as the client would read them: consent to
treatment, consent to telehealth and the release of information, in English, Spanish and
both side by side; a release filled in from the client's own release and refused for
another's; the fit on Letter and A4; the small print that names the text signed.
Synthetic people only."""

from __future__ import annotations

import functools
import io
import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from mhsw_desktop.domain.care_team import Category
from mhsw_desktop.domain.client_rules import ClientInput
from mhsw_desktop.domain.language import has_text, placeholders, text
from mhsw_desktop.errors import NotFoundError, ValidationError
from mhsw_desktop.reports import NOT_YET
from mhsw_desktop.reports.base import BOTTOM_MARGIN, MARGIN, Pdf
from mhsw_desktop.reports.consent_forms import (
    FORM_VERSIONS,
    GENERAL_CATEGORIES,
    TELEHEALTH_SECTIONS,
    TREATMENT_SECTIONS,
)
from mhsw_desktop.reports.make import ReportRequest, make_report
from mhsw_desktop.reports.tongue import Tongue
from mhsw_desktop.resources import resources_dir
from mhsw_desktop.services.clients import add_client
from mhsw_desktop.services.collaborators import CollaboratorInput, add_collaborator
from mhsw_desktop.services.practitioner import PractitionerInput, save_practitioner
from mhsw_desktop.services.releases import ReleaseInput, add_release, revoke_release
from mhsw_desktop.vault.vault import Vault
from tests.cli.test_cli import mhsw
from tests.reports.test_reports import flat
from tests.support import PASSPHRASE, create_vault

TODAY = date.today()
KINDS = ("treatment-consent-form", "telehealth-consent-form", "release-form")
FAMILIES = ("consent", "release")
PURPOSE = "Coordinate <medication> & follow-up with Dr. Ibáñez"
CONSENT_TEXT = "Dates of treatment & diagnosis only"
#: texts that end like running text but are labels (printed in both languages on one line)
LABELS = ("what.intro", "purpose.intro")
#: words that give English away in running text (none is Spanish, none is in the names)
ENGLISH_WORDS = (" the ", " your ", " you ", " and ", " of ", " with ", " may ")


@dataclass(frozen=True)
class People:
    #: prefers Spanish, needs an interpreter
    ana: uuid.UUID
    #: English, no interpreter
    eli: uuid.UUID
    doctor: uuid.UUID
    #: Ana's release for the doctor (attendance, diagnosis, substance use)
    release: uuid.UUID
    #: Eli's release, which Ana's forms must never show
    other_release: uuid.UUID


def practitioner(paper: str = "letter") -> PractitionerInput:
    return PractitionerInput(
        "Avery Lindqvist", "LCSW", "CA-90210", "Harbor Lane Counseling",
        "12 Mill St\nRiverbend, VT 05601", "(802) 555-0142", paper_size=paper,
    )  # fmt: skip


def populate(vault: Vault) -> People:
    with vault.unit_of_work() as s:
        save_practitioner(s, practitioner())
        spanish = ClientInput("Ana", "González Nguyễn", date(1985, 3, 14),
                              preferred_language="es", interpreter_needed=True)  # fmt: skip
        ana = add_client(s, spanish)
        eli = add_client(s, ClientInput("Eli", "Okafor", date(1992, 7, 1)))
        doctor = add_collaborator(
            s,
            CollaboratorInput("Tomás Ibáñez", credentials="MD", organisation="Riverbend Clinic",
                              address="400 Hospital Rd\nRiverbend, VT", phone="8025550100"),
        )  # fmt: skip
        covered = (Category.ATTENDANCE, Category.DIAGNOSIS, Category.SUBSTANCE_USE)
        release = add_release(
            s, ana,
            ReleaseInput(doctor, covered, PURPOSE, TODAY - timedelta(days=2),
                         expiry_date=TODAY + timedelta(days=300),
                         substance_use_consent=CONSENT_TEXT),
        )  # fmt: skip
        other = add_release(
            s, eli,
            ReleaseInput(doctor, (Category.ATTENDANCE,), "Eli's own purpose", TODAY,
                         expiry_event="When Eli moves away"),
        )  # fmt: skip
    return People(ana, eli, doctor, release, other)


@pytest.fixture
def people(vault: Vault) -> People:
    return populate(vault)


def made(vault: Vault, kind: str, client: uuid.UUID, **request: object) -> Pdf:
    with vault.session() as session:
        return make_report(session, ReportRequest(kind, client, **request))  # type: ignore[arg-type]


def text_of(raw: bytes) -> str:
    """The text of the pages without their frame (the footer, and the running line at the top
    of later pages), so that a sentence carried over to the next page reads whole."""
    frame = tuple(text(code, "common", "footer") for code in ("en", "es"))
    titles = tuple(
        text(code, family, key) + ":"
        for code in ("en", "es")
        for family, key in (("consent", "treatment.title"), ("consent", "telehealth.title"),
                            ("release", "title"))
    )  # fmt: skip
    numbers = re.compile(r"(Page|Página) \d+ (of|de) \d+")
    lines = [
        line
        for page in PdfReader(io.BytesIO(raw)).pages
        for line in page.extract_text().split("\n")
        if not line.startswith(frame + titles) and not numbers.fullmatch(line.strip())
    ]
    return flat(" ".join(lines))


def _placed(
    found: list[tuple[float, float, str]],
    words: str,
    cm: list[float],
    tm: list[float],
    *_: object,
) -> None:
    """A pypdf text visitor: where on the page each piece of text starts."""
    x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
    y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
    found.append((x, y, words))


def whole_text(raw: bytes) -> str:
    """Every text of the pages, their frame included."""
    return flat(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(raw)).pages))


def columns_of(raw: bytes) -> tuple[str, str]:
    """The text left and right of the middle of the page, read page after page (a passage
    of a bilingual copy carried over to the next page reads whole in its column)."""
    sides: tuple[list[str], list[str]] = ([], [])
    for page in PdfReader(io.BytesIO(raw)).pages:
        middle = float(page.mediabox.width) / 2
        top = float(page.mediabox.height) - MARGIN
        found: list[tuple[float, float, str]] = []
        page.extract_text(visitor_text=functools.partial(_placed, found))
        for x, y, words in found:
            if BOTTOM_MARGIN <= y <= top:  # the frame (running line, footer) left out
                sides[x >= middle].append(words)
    return flat("".join(sides[0])), flat("".join(sides[1]))


def english_keys(family: str) -> list[str]:
    path = resources_dir() / "i18n" / "en" / f"{family}.json"
    return list(json.loads(path.read_text(encoding="utf-8"))["texts"])


def lines_of(words: str) -> list[str]:
    """A text's lines as printed (bullets without their dash), placeholders cut off."""
    out = []
    for line in words.split("\n"):
        line = line.strip().removeprefix("- ")
        line = re.split(r"\{\w+\}", line)[0].strip()
        if line:
            out.append(line)
    return out


def shown(family: str, key: str, code: str) -> list[str]:
    return lines_of(text(code, family, key))


def keys_of(kind: str) -> list[tuple[str, str]]:
    """The texts each form prints whatever the client's record holds."""
    form = [("consent", k) for k in ("form.signatures", "form.review")]
    if kind == "release-form":
        return form + [("release", k) for k in english_keys("release") if k != "revoked"]
    prefix = "treatment" if kind == "treatment-consent-form" else "telehealth"
    sections = TREATMENT_SECTIONS if prefix == "treatment" else TELEHEALTH_SECTIONS
    keys = [f"{prefix}.{k}" for k in ("title", "intro", "agreement")]
    keys += [f"{prefix}.{s}.{part}" for s in sections for part in ("heading", "body")]
    if prefix == "telehealth":
        keys += ["telehealth.details.heading"]
        keys += [k for k in english_keys("consent") if k.startswith("telehealth.blank.")]
    return form + [("consent", k) for k in keys]


# -- the texts -----------------------------------------------------------------------------------
def test_every_text_has_its_spanish_with_the_same_places() -> None:
    for family in FAMILIES:
        for key in english_keys(family):
            assert has_text("es", family, key), f"{family}.{key}"
            english, spanish = (text(code, family, key) for code in ("en", "es"))
            assert placeholders(spanish) == placeholders(english), f"{family}.{key}"
            assert spanish.count("\n- ") == english.count("\n- "), f"{family}.{key} bullets"


def test_every_care_team_category_has_a_label_on_the_form_in_both_languages() -> None:
    for category in Category:
        assert has_text("es", "release", f"category.{category.value}")
    assert Category.PSYCHOTHERAPY_NOTES not in GENERAL_CATEGORIES
    assert Category.SUBSTANCE_USE not in GENERAL_CATEGORIES


def test_the_forms_are_available() -> None:
    assert not set(KINDS) & set(NOT_YET)


# -- each form in each language ---------------------------------------------------------------
@pytest.mark.parametrize("kind", KINDS)
def test_english_copy(vault: Vault, people: People, kind: str) -> None:
    pdf = made(vault, kind, people.ana, lang="en")
    assert pdf.languages == ("en",) and pdf.pages <= 2
    page = text_of(pdf.data)
    for family, key in keys_of(kind):
        for line in shown(family, key, "en"):
            assert line in page, f"{family}.{key}: {line!r}"
    assert "Ana González Nguyễn" in page and "March 14, 1985" in page
    assert f"Form version {FORM_VERSIONS[kind]} · en · text " in page
    assert "Client's signature" in page and "Clinician's signature" in page
    assert "Avery Lindqvist, LCSW" in page


@pytest.mark.parametrize("kind", KINDS)
def test_spanish_copy_has_no_english_left(vault: Vault, people: People, kind: str) -> None:
    pdf = made(vault, kind, people.ana, lang="es")
    assert pdf.languages == ("es",) and pdf.pages <= 2
    page = text_of(pdf.data)
    for family, key in keys_of(kind):
        for line in shown(family, key, "es"):
            assert line in page, f"{family}.{key}: {line!r}"
    for family in FAMILIES:
        for key in english_keys(family):
            spanish = set(shown(family, key, "es"))
            for line in shown(family, key, "en"):
                if line not in spanish:
                    assert line not in page, f"English {family}.{key} in the Spanish copy"
    for word in ENGLISH_WORDS:
        assert word not in f" {page.lower()} ", word
    assert "14 de marzo de 1985" in page and "Nguyễn" in page
    assert f"Versión del formulario {FORM_VERSIONS[kind]} · es · texto " in page
    assert "Firma del cliente" in page and "Firma del intérprete" in page
    assert "Confidencial" in whole_text(pdf.data) and "Página 1 de" in whole_text(pdf.data)


@pytest.mark.parametrize("kind", KINDS)
def test_both_languages_side_by_side(vault: Vault, people: People, kind: str) -> None:
    pdf = made(vault, kind, people.ana, lang="both")
    assert pdf.languages == ("es", "en") and pdf.pages <= 3
    page = text_of(pdf.data)
    left, right = columns_of(pdf.data)
    for family, key in keys_of(kind):
        running = key.rsplit(".")[-1] in ("body", "intro", "agreement") and key not in LABELS
        for code, column in (("es", left), ("en", right)):
            for line in shown(family, key, code):
                # running text: in its own column (the client's on the left)
                assert line in (column if running else page), f"{code} {family}.{key}: {line!r}"
    # one shared set of signature lines, labelled in both languages
    assert page.count("Firma del cliente / Client's signature") == 1
    assert page.count("Ana González Nguyễn") == 2  # the name at the top and under the line
    assert "Nombre del cliente / Client's name" in page


@pytest.mark.parametrize("kind", KINDS)
def test_a_spanish_speaking_client_gets_spanish_by_default(
    vault: Vault, people: People, kind: str
) -> None:
    pdf = made(vault, kind, people.ana)
    assert pdf.languages == ("es",)
    assert text("es", *keys_of(kind)[-1]).split("\n")[0].removeprefix("- ") in text_of(pdf.data)
    english = made(vault, kind, people.eli)
    assert english.languages == ("en",)


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("kind", KINDS)
def test_fits_its_pages_on_letter_and_a4(
    vault: Vault, people: People, kind: str, paper: str
) -> None:
    with vault.unit_of_work() as s:
        save_practitioner(s, practitioner(paper))
    width = 595.28 if paper == "a4" else 612
    for lang, pages in (("en", 2), ("es", 2), ("both", 3)):
        for release in (None, people.release) if kind == "release-form" else (None,):
            pdf = made(vault, kind, people.ana, lang=lang, release_id=release)
            assert pdf.pages <= pages, (lang, release)
            reader = PdfReader(io.BytesIO(pdf.data))
            assert round(float(reader.pages[0].mediabox.width), 1) == round(width, 1)


# -- what the client's record adds ----------------------------------------------------------------
def test_interpreter_line_only_when_the_record_says_so(vault: Vault, people: People) -> None:
    for kind in KINDS:
        with_interpreter = text_of(made(vault, kind, people.ana, lang="en").data)
        without = text_of(made(vault, kind, people.eli).data)
        statement = text("en", "consent", "form.interpreter_statement")
        assert statement in with_interpreter and "Interpreter's signature" in with_interpreter
        assert statement not in without and "Interpreter" not in without
        assert "Parent, guardian or legal representative" in without


def test_release_filled_in_from_the_clients_own_release(vault: Vault, people: People) -> None:
    tongue = Tongue(("es",))
    page = text_of(made(vault, "release-form", people.ana, lang="es",
                        release_id=people.release).data)  # fmt: skip
    assert "Tomás Ibáñez, MD" in page and "Riverbend Clinic" in page
    assert "400 Hospital Rd Riverbend, VT" in page and "(802) 555-0100" in page
    assert PURPOSE in page and CONSENT_TEXT in page  # as typed, markup characters and all
    assert tongue.date(TODAY + timedelta(days=300)) in page
    assert tongue.date(TODAY - timedelta(days=2), "medium") in page  # beside the signature
    checked = "\u2612 "
    assert page.count(checked) == 3  # attendance, diagnosis, and the substance-use box
    for category in (Category.ATTENDANCE, Category.DIAGNOSIS):
        assert checked + text("es", "release", f"category.{category.value}") in page
    assert checked + text("es", "release", "substance.box") in page
    assert "\u2610 " + text("es", "release", "psychotherapy.box") in page
    assert "Eli" not in page


def test_blank_release_leaves_the_recipient_to_the_client(vault: Vault, people: People) -> None:
    page = text_of(made(vault, "release-form", people.ana, lang="en").data)
    assert "\u2612" not in page and page.count("\u2610") == len(GENERAL_CATEGORIES) + 2
    assert "Ibáñez" not in page and PURPOSE not in page
    assert "Harbor Lane Counseling" in page  # who discloses: the practice itself
    assert "Ana González Nguyễn" in page and "March 14, 1985" in page


def test_revoked_release_says_so(vault: Vault, people: People) -> None:
    with vault.unit_of_work() as s:
        revoke_release(s, people.release, TODAY)
    page = text_of(made(vault, "release-form", people.ana, lang="both",
                        release_id=people.release).data)  # fmt: skip
    tongue = Tongue(("es", "en"))
    assert text("es", "release", "revoked", date=tongue.date(TODAY)) in page
    assert text("en", "release", "revoked", date=Tongue(("en",)).date(TODAY)) in page


def test_the_digest_tells_the_texts_apart(vault: Vault, people: People) -> None:
    def digest(lang: str, kind: str = "treatment-consent-form") -> str:
        page = text_of(made(vault, kind, people.ana, lang=lang).data)
        found = re.search(r"(?:text|texto) ([0-9a-f]{8})", page)
        assert found is not None
        return found.group(1)

    assert digest("es") == digest("es")  # the same text, the same digest
    assert len({digest("es"), digest("en"), digest("both"), digest("es", "release-form")}) == 4


# -- refusals ---------------------------------------------------------------------------------
def test_another_clients_release_is_refused(vault: Vault, people: People) -> None:
    with pytest.raises(NotFoundError, match="another client's"):
        made(vault, "release-form", people.ana, release_id=people.other_release)
    with pytest.raises(NotFoundError, match="No release of information"):
        made(vault, "release-form", people.ana, release_id=uuid.uuid4())


def test_a_release_on_a_consent_form_is_refused(vault: Vault, people: People) -> None:
    for kind in KINDS[:2]:
        with pytest.raises(ValidationError, match="release form only"):
            made(vault, kind, people.ana, release_id=people.release)


def test_user_text_is_text(vault: Vault, people: People) -> None:
    with vault.unit_of_work() as s:
        hostile = add_client(s, ClientInput('<img src="x"> &amp;', "O'Brien <b>", date(2001, 1, 2),
                                            preferred_language="es"))  # fmt: skip
    for kind in KINDS:
        page = text_of(made(vault, kind, hostile, lang="both").data)
        assert '<img src="x"> &amp; O\'Brien <b>' in page


# -- the command line -------------------------------------------------------------------------
@pytest.fixture
def vault_folder(tmp_path: Path) -> Iterator[tuple[Path, People]]:
    folder = tmp_path / "vault"
    opened, _ = create_vault(folder)
    try:
        found = populate(opened)
    finally:
        opened.lock()
    yield folder, found


def test_cli_spanish_form_and_a_refused_release(
    vault_folder: tuple[Path, People], tmp_path: Path
) -> None:
    folder, found = vault_folder
    stdin = f"{PASSPHRASE}\n"
    out = tmp_path / "consent.pdf"
    vault = ("--vault", str(folder))
    result = mhsw(*vault, "report", "treatment-consent-form", "--client", str(found.ana),
                  "--lang", "es", "-o", str(out), "--json", stdin=stdin)  # fmt: skip
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["file"] == str(out) and 1 <= payload["pages"] <= 2
    assert payload["languages"] == ["es"] and payload["kind"] == "treatment-consent-form"
    assert text("es", "consent", "treatment.title") in text_of(out.read_bytes())
    refused = tmp_path / "release.pdf"
    other = str(found.other_release)
    result = mhsw(*vault, "report", "release-form", "--client", str(found.ana),
                  "--release", other, "-o", str(refused), stdin=stdin)  # fmt: skip
    assert result.returncode != 0
    assert "another client's" in result.stderr and "Traceback" not in result.stderr
    assert not refused.exists()


def test_without_a_practitioner_profile_the_practice_is_left_to_fill_in(vault: Vault) -> None:
    with vault.unit_of_work() as s:
        client = add_client(s, ClientInput("Rosa", "Quispe", date(1979, 5, 6),
                                           preferred_language="es"))  # fmt: skip
    pdf = made(vault, "release-form", client)
    page = text_of(pdf.data)
    assert pdf.pages <= 2 and text("es", "common", "practice_not_set") in page
    assert "Practitioner profile" not in page  # the hint is for the practitioner's English
    assert text("es", "release", "from.heading") in page
