"""The printed PHQ-9 and GAD-7 forms read back as the client and the office would read
them: blank and completed, in English, Spanish and both; every item numbered under the
question, the answers as column headings, the chosen answers ticked, the column sums and
the total for office use as the measures service scored them, unanswered items shown as
unanswered (never 0), the difficulty question, the attribution; one page on Letter and
A4. Synthetic people only."""

from __future__ import annotations

import io
import json
import re
import uuid
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from mhsw_desktop.domain.client_rules import ClientInput
from mhsw_desktop.domain.language import _english, text, untranslated
from mhsw_desktop.domain.measure_defs import definition
from mhsw_desktop.errors import NotFoundError, ValidationError
from mhsw_desktop.reports import NOT_YET
from mhsw_desktop.reports import measure_form as mf
from mhsw_desktop.reports.make import ReportRequest, make_report
from mhsw_desktop.reports.tongue import Tongue
from mhsw_desktop.services.clients import add_client
from mhsw_desktop.services.measures import MeasureInput, add_measure, get_measure
from mhsw_desktop.services.practitioner import PractitionerInput, save_practitioner
from mhsw_desktop.vault.vault import Vault
from tests.cli.test_cli import assert_one_line_error, mhsw
from tests.reports.test_reports import flat, in_order
from tests.support import PASSPHRASE

TAKEN = date(2026, 1, 5)
KINDS = {"phq9-form": "phq9", "gad7-form": "gad7"}
#: a PHQ-9 with every item answered: columns 0 + 3 + 4 + 6, total 13 (moderate)
PHQ9 = (1, 2, 0, 3, 0, 1, 2, 3, 1)
#: a GAD-7 with every item answered: total 11 (moderate)
GAD7 = (1, 2, 2, 3, 0, 1, 2)


def text_of(raw: bytes) -> str:
    """The text of the pages (an item's number and its dot, which pypdf sometimes reads
    apart in the larger type, taken together again)."""
    raw_text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(raw)).pages)
    return re.sub(r"\b(\d) \.", r"\1.", flat(raw_text))


def setup(
    vault: Vault,
    *,
    language: str = "en",
    document_language: str = "client",
    paper: str = "letter",
    name: tuple[str, str] = ("Ana", "González Nguyễn"),
) -> uuid.UUID:
    with vault.unit_of_work() as s:
        save_practitioner(
            s,
            PractitionerInput("Avery Lindqvist", "LCSW", "CA-90210", "Harbor Lane Counseling",
                              "12 Mill St\nRiverbend, VT", "(802) 555-0142", paper),
        )  # fmt: skip
        return add_client(
            s,
            ClientInput(*name, date(1985, 3, 14), preferred_language=language,
                        document_language=document_language),
        )  # fmt: skip


def record(
    vault: Vault,
    client: uuid.UUID,
    kind: str,
    answers: tuple[int | None, ...],
    difficulty: int | None = 1,
) -> uuid.UUID:
    with vault.unit_of_work() as s:
        return add_measure(s, MeasureInput(client, kind, answers, TAKEN, difficulty)).id


def form(
    vault: Vault,
    kind: str,
    client: uuid.UUID,
    lang: str | None = None,
    measure: uuid.UUID | None = None,
) -> tuple[str, int, tuple[str, ...]]:
    with vault.session() as s:
        pdf = make_report(s, ReportRequest(kind, client, lang=lang, measure_id=measure))
    return text_of(pdf.data), pdf.pages, pdf.languages


def t(code: str, key: str, **fields: object) -> str:
    return text(code, "measures", key, **fields)


def english_only(family: str) -> list[str]:
    """The English texts of ``family`` that Spanish writes differently (whole texts, or
    the parts between their ``{placeholders}``: "Page", "of")."""
    found = []
    for key, english in _english(family).items():
        if english == text("es", family, key):
            continue  # "PHQ-9" reads the same in both
        found += [part.strip() for part in re.split(r"\{\w+\}", english) if part.strip()]
    return found


# -- blank forms -----------------------------------------------------------------------
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_blank_english_form_has_every_item_numbered_under_the_question(
    vault: Vault, kind: str
) -> None:
    client = setup(vault)
    page, pages, languages = form(vault, kind, client)
    d = definition(KINDS[kind])
    assert (pages, languages) == (1, ("en",))
    assert in_order(
        page, "Harbor Lane Counseling", "Licence CA-90210", t("en", f"form.title.{d.key}"),
        "Client's name", "Ana González Nguyễn", "Date", d.stem, "(Use “✔” to indicate your answer)",
        *d.choices,
        *(part for n, item in enumerate(d.items, 1) for part in (f"{n}.", item)),
        "For office use (add columns)", "0", "+ + +", "= Total score",
        d.difficulty_question, *d.difficulty_choices,
        "Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues, "
        "with an educational grant from Pfizer Inc.",
        "Confidential", "Page 1 of 1",
    )  # fmt: skip
    # nothing is filled in: no date, no sums, no total, nothing called unanswered
    assert "Not answered" not in page and "January" not in page and "(Moderate)" not in page


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_blank_spanish_form_has_the_published_spanish_wording(vault: Vault, kind: str) -> None:
    client = setup(vault)
    page, pages, languages = form(vault, kind, client, lang="es")
    key = KINDS[kind]
    d = definition(key)
    assert (pages, languages) == (1, ("es",))
    assert in_order(
        page, "Licencia CA-90210", t("es", f"form.title.{key}"), "Nombre del cliente",
        "Ana González Nguyễn", "Fecha", t("es", f"{key}.stem"),
        "(Marque con un “✔” para indicar su respuesta)",
        *(t("es", f"{key}.choice.{n}") for n in range(4)),
        *(part for n in range(1, len(d.items) + 1)
          for part in (f"{n}.", t("es", f"{key}.item.{n}"))),
        "Para uso de la oficina (sume las columnas)", "= Puntuación total",
        t("es", f"{key}.difficulty"), *(t("es", f"{key}.difficulty.{n}") for n in range(4)),
        "Elaborado por los doctores Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke y "
        "colegas, mediante una subvención educativa otorgada por Pfizer Inc.",
        "Confidencial", "Página 1 de 1",
    )  # fmt: skip
    # the published wording, accents and Spanish punctuation intact
    expected = {
        "phq9-form": ("Durante las últimas 2 semanas, ¿qué tan seguido ha tenido molestias",
                      "Ningún día", "Más de la mitad de los días", "Casi todos los días",
                      "Se ha sentido cansado(a) o con poca energía", "Sin apetito",
                      "¿qué tanta dificultad le han dado estos problemas"),
        "gad7-form": ("¿con qué frecuencia le han molestado", "Nunca", "Varios días",
                      "Se ha sentido nervioso(a), ansioso(a) o con los nervios de punta",
                      "Se ha molestado o irritado fácilmente", "Extremadamente difícil"),
    }[kind]  # fmt: skip
    for wording in expected:
        assert wording in page, wording


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_no_english_is_left_in_a_spanish_form(vault: Vault, kind: str) -> None:
    client = setup(vault)
    done = record(vault, client, KINDS[kind], PHQ9 if kind == "phq9-form" else GAD7)
    partial = record(vault, client, KINDS[kind], (None,) * len(definition(KINDS[kind]).items),
                     difficulty=None)  # fmt: skip
    assert untranslated("es").get("measures") is None  # every measure text has its Spanish
    english = english_only("measures") + english_only("common")
    for measure in (None, done, partial):
        page, _, languages = form(vault, kind, client, lang="es", measure=measure)
        assert languages == ("es",)
        left = [w for w in english if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", page)]
        assert not left, f"English in the Spanish form: {left}"


def test_a_bilingual_form_gives_each_text_in_spanish_with_the_english_under_it(
    vault: Vault,
) -> None:
    client = setup(vault, language="es")
    done = record(vault, client, "phq9", (1, 2, None, 3, 0, 1, 2, 3, 1), difficulty=2)
    for measure in (None, done):
        page, pages, languages = form(vault, "phq9-form", client, lang="both", measure=measure)
        assert (pages, languages) == (1, ("es", "en"))
        assert in_order(
            page, t("es", "form.title.phq9"), t("en", "form.title.phq9"),
            "Nombre del cliente", "Client's name", "Ana González Nguyễn", "Fecha", "Date",
            t("es", "phq9.stem"), t("en", "phq9.stem"),
            *(part for n in range(4) for part in (t("es", f"phq9.choice.{n}"),
                                                   t("en", f"phq9.choice.{n}"))),
            *(part for n in range(1, 10) for part in (f"{n}.", t("es", f"phq9.item.{n}"),
                                                       t("en", f"phq9.item.{n}"))),
            "Para uso de la oficina (sume las columnas)", "For office use (add columns)",
            t("es", "phq9.difficulty"), t("en", "phq9.difficulty"),
            *(part for n in range(4) for part in (t("es", f"phq9.difficulty.{n}"),
                                                   t("en", f"phq9.difficulty.{n}"))),
            "Elaborado por los doctores", "Developed by Drs.",
        )  # fmt: skip
        # the client's name is user text: once, as typed
        assert page.count("Ana González Nguyễn") == 1
    assert "Sin respuesta / Not answered" in page  # item 3 of the completed one


def test_the_client_s_preferred_language_is_the_default(vault: Vault) -> None:
    spanish = setup(vault, language="es")
    page, _, languages = form(vault, "gad7-form", spanish)
    assert languages == ("es",) and t("es", "gad7.item.1") in page
    assert t("en", "gad7.item.1") not in page
    with vault.unit_of_work() as s:
        both = add_client(s, ClientInput("Lucía", "Synth", date(1990, 1, 1),
                                         preferred_language="es",
                                         document_language="both"))  # fmt: skip
    page, _, languages = form(vault, "gad7-form", both)
    assert languages == ("es", "en")
    assert in_order(page, t("es", "gad7.item.1"), t("en", "gad7.item.1"))
    page, _, languages = form(vault, "gad7-form", spanish, lang="en")  # asked for: English
    assert languages == ("en",) and t("en", "gad7.item.1") in page


# -- completed forms -------------------------------------------------------------------
def _ticks(data: mf.MeasureFormData, tongue: Tongue) -> list[int | None]:
    """Per item row of the printed grid, the column whose box is ticked (None: none)."""
    table = mf._items_table(data, tongue, mf.form_styles(tongue), 500)
    ticks: list[int | None] = []
    for row in table._cellvalues[1 : len(data.definition.items) + 1]:
        boxes = [cell for cell in row if isinstance(cell, mf.AnswerBox)]
        assert len(boxes) == len(data.definition.choices)
        ticked = [box.score for box in boxes if box.ticked]
        assert len(ticked) <= 1
        ticks.append(ticked[0] if ticked else None)
    return ticks


def test_a_completed_form_ticks_the_answers_and_totals_them_as_the_service_did(
    vault: Vault,
) -> None:
    client = setup(vault, language="es")
    measure = record(vault, client, "phq9", PHQ9, difficulty=2)
    with vault.session() as s:
        row = get_measure(s, measure)
        data = mf.form_data(s, "phq9-form", client, measure)
    assert row.total == 13 and row.band == "moderate"
    assert _ticks(data, Tongue(("es",))) == list(PHQ9)
    english, _, _ = form(vault, "phq9-form", client, lang="en", measure=measure)
    spanish, _, _ = form(vault, "phq9-form", client, lang="es", measure=measure)
    assert in_order(english, "January 5, 2026", "For office use (add columns)",
                    "0", "+ 3", "+ 4", "+ 6", "= Total score", "13 (Moderate)")  # fmt: skip
    assert in_order(spanish, "5 de enero de 2026", "Para uso de la oficina (sume las columnas)",
                    "0", "+ 3", "+ 4", "+ 6", "= Puntuación total", "13 (Moderada)")  # fmt: skip
    total_en = re.search(r"= Total score (\d+)", english)
    total_es = re.search(r"= Puntuación total (\d+)", spanish)
    assert total_en and total_es
    assert int(total_es.group(1)) == int(total_en.group(1)) == row.total
    assert "Not answered" not in english and "Sin respuesta" not in spanish


def test_a_completed_gad7_in_both_languages(vault: Vault) -> None:
    client = setup(vault, language="es")
    measure = record(vault, client, "gad7", GAD7, difficulty=None)
    page, pages, _ = form(vault, "gad7-form", client, lang="both", measure=measure)
    assert pages == 1
    assert "= Puntuación total / Total score 11 (Moderada / Moderate)" in page
    # the difficulty question was not answered: it says so, in both
    assert in_order(page, t("en", "gad7.difficulty.3"), "Sin respuesta / Not answered")


def test_unanswered_items_show_as_unanswered_never_as_zero(vault: Vault) -> None:
    client = setup(vault)
    answers = (0, 0, None, 0, 0, 0, 0, 1, None)
    measure = record(vault, client, "phq9", answers)
    with vault.session() as s:
        data = mf.form_data(s, "phq9-form", client, measure)
        assert get_measure(s, measure).total is None
    for code in ("en", "es"):
        assert _ticks(data, Tongue((code,))) == list(answers)  # no box ticked on 3 and 9
    english, _, _ = form(vault, "phq9-form", client, lang="en", measure=measure)
    assert english.count("Not answered") == 2
    assert in_order(english, "3.", t("en", "phq9.item.3"), "Not answered",
                    "9.", t("en", "phq9.item.9"), "Not answered",
                    "For office use (add columns)", "0", "+ 1", "+ 0", "+ 0",
                    "= Total score —",
                    "Items 3, 9 were not answered, so there is no total.")  # fmt: skip
    assert not re.search(r"Total score \d", english)
    spanish, _, _ = form(vault, "phq9-form", client, lang="es", measure=measure)
    assert spanish.count("Sin respuesta") == 2
    assert "Los ítems 3, 9 no tienen respuesta, por eso no hay puntuación total." in spanish
    one = record(vault, client, "gad7", (0, 1, 2, 3, 0, None, 1))
    gad, _, _ = form(vault, "gad7-form", client, lang="es", measure=one)
    assert "El ítem 6 no tiene respuesta, por eso no hay puntuación total." in gad


# -- refusals --------------------------------------------------------------------------
def test_a_measure_of_another_client_or_another_instrument_is_refused(vault: Vault) -> None:
    client = setup(vault)
    with vault.unit_of_work() as s:
        other = add_client(s, ClientInput("Tomás", "Synth", date(1979, 5, 6)))
    theirs = record(vault, other, "phq9", PHQ9)
    gad = record(vault, client, "gad7", GAD7)
    screen = record(vault, client, "phq2", (1, 1), difficulty=None)
    cases: list[tuple[str, uuid.UUID, type[Exception], str]] = [
        ("phq9-form", theirs, NotFoundError, "That measure belongs to another client."),
        ("phq9-form", gad, ValidationError,
         "measure: is a GAD-7 of 2026-01-05, not a PHQ-9: print it as gad7-form"),
        ("gad7-form", screen, ValidationError,
         "is a PHQ-2 of 2026-01-05, not a GAD-7: only PHQ-9 and GAD-7 forms can be printed"),
        ("gad7-form", uuid.uuid4(), NotFoundError, "No measure with id"),
    ]  # fmt: skip
    for kind, measure, error, message in cases:
        with vault.session() as s, pytest.raises(error, match=re.escape(message)):
            make_report(s, ReportRequest(kind, client, lang="es", measure_id=measure))


def test_the_forms_are_no_longer_waiting() -> None:
    assert not {"phq9-form", "gad7-form"} & set(NOT_YET)


# -- the page --------------------------------------------------------------------------
@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_every_form_fits_one_page_in_each_language(vault: Vault, paper: str) -> None:
    client = setup(vault, language="es", paper=paper)
    long_name = add_long_named_client(vault)
    size = (612, 792) if paper == "letter" else (595, 842)
    measures = {
        "phq9-form": record(vault, client, "phq9", (1, 2, None, 3, 0, 1, 2, 3, 1)),
        "gad7-form": record(vault, client, "gad7", GAD7),
    }
    for kind, measure in measures.items():
        for lang in ("en", "es", "both"):
            for who, filled in ((client, None), (client, measure), (long_name, None)):
                with vault.session() as s:
                    pdf = make_report(s, ReportRequest(kind, who, lang=lang, measure_id=filled))
                page = PdfReader(io.BytesIO(pdf.data)).pages
                assert len(page) == pdf.pages == 1, (kind, lang, filled)
                box = page[0].mediabox
                assert (round(float(box.width)), round(float(box.height))) == size


def add_long_named_client(vault: Vault) -> uuid.UUID:
    with vault.unit_of_work() as s:
        return add_client(
            s,
            ClientInput("María de los Ángeles <Sol> & Luz", "Fernández-Villaseñor Nguyễn Rivera",
                        date(2001, 7, 8), preferred_language="es"),
        )  # fmt: skip


def test_the_client_s_name_is_text_not_markup(vault: Vault) -> None:
    setup(vault)
    client = add_long_named_client(vault)
    page, pages, _ = form(vault, "phq9-form", client, lang="both")
    assert pages == 1
    assert "María de los Ángeles <Sol> & Luz Fernández-Villaseñor Nguyễn Rivera" in page


# -- the command line ------------------------------------------------------------------
def test_mhsw_report_prints_a_spanish_form(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    pw = f"{PASSPHRASE}\n"

    def ok(*args: str) -> str:
        result = mhsw("--vault", str(folder), *args, stdin=pw)
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    ok("init")
    client = ok("clients", "add", "--first-name", "Inés", "--last-name", "Synth",
                "--dob", "1990-02-03")  # fmt: skip
    other = ok("clients", "add", "--first-name", "Óscar", "--last-name", "Synth",
               "--dob", "1988-04-05")  # fmt: skip
    measure = json.loads(ok("measures", "add", "--client", client, "--kind", "phq9",
                            "--items", "1,2,0,3,0,1,2,3,1", "--json"))["id"]  # fmt: skip
    theirs = json.loads(ok("measures", "add", "--client", other, "--kind", "phq9",
                           "--items", "0,0,0,0,0,0,0,0,0", "--json"))["id"]  # fmt: skip
    out = tmp_path / "phq9.pdf"
    payload = json.loads(ok("report", "phq9-form", "--client", client, "--lang", "es",
                            "--measure", measure, "-o", str(out), "--json"))  # fmt: skip
    assert payload["languages"] == ["es"] and payload["pages"] == 1
    page = text_of(out.read_bytes())
    assert t("es", "phq9.item.1") in page and "= Puntuación total 13 (Moderada)" in page
    blank = tmp_path / "blank.pdf"
    payload = json.loads(ok("report", "gad7-form", "--client", client, "--lang", "es",
                            "-o", str(blank), "--json"))  # fmt: skip
    assert payload["languages"] == ["es"]
    assert t("es", "gad7.stem") in text_of(blank.read_bytes())
    refused = tmp_path / "refused.pdf"
    result = mhsw("--vault", str(folder), "report", "phq9-form", "--client", client,
                  "--measure", theirs, "--lang", "es", "-o", str(refused), stdin=pw)  # fmt: skip
    assert result.returncode == 1
    assert_one_line_error(result)
    assert "That measure belongs to another client." in result.stderr
    assert not refused.exists()
