"""The safety plan and its wallet card in the client's language: Spanish, English, both."""

from __future__ import annotations

import re
import uuid
from dataclasses import replace
from datetime import date

import pytest

from mhsw_desktop.domain.client_rules import ClientInput
from mhsw_desktop.domain.language import text
from mhsw_desktop.reports import wallet_card
from mhsw_desktop.reports.make import ReportRequest, make_report
from mhsw_desktop.reports.tongue import Tongue
from mhsw_desktop.services import safety_plans as sp
from mhsw_desktop.services.clients import add_client, get_client, update_client
from mhsw_desktop.services.practitioner import PractitionerInput, save_practitioner
from mhsw_desktop.vault.vault import Vault
from tests.reports.test_safety_plan_report import TODAY, assert_inside, plan_input, text_of

SPANISH = Tongue(("es",))
FAMILIES = ("safety_plan", "common")


def english_left(pdf_text: str, families: tuple[str, ...] = FAMILIES) -> list[str]:
    """The English texts of ``families`` (the parts between their {places}) that a Spanish
    PDF still holds; texts that read the same in both languages are not counted."""
    from mhsw_desktop.domain.language import _english  # the source texts, every key

    found = []
    for family in families:
        for key, english in _english(family).items():
            if english == text("es", family, key):
                continue
            for part in re.split(r"\{[a-z_]+\}|<[^>]+>", english):
                part = part.strip(" .,:;·()")
                if len(part) >= 8 and part in pdf_text:
                    found.append(f"{family}.{key}: {part!r}")
    return found


def spanish_client(vault: Vault, *, documents: str = "client", plan: bool = True) -> uuid.UUID:
    with vault.unit_of_work() as s:
        save_practitioner(
            s,
            PractitionerInput("Avery Lindqvist", "LCSW", "CA-90210", "Harbor Lane Counseling",
                              "12 Mill St\nRiverbend, VT", "(802) 555-0142"),
        )  # fmt: skip
        client = add_client(
            s,
            ClientInput("Lucía", "Ramírez Peña", date(1979, 6, 2), preferred_language="es",
                        interpreter_needed=True, document_language=documents),
        )  # fmt: skip
        if plan:
            # a plan started from the defaults, then written in the client's words
            version = sp.create_safety_plan(s, client)
            defaults = sp.get_safety_plan(s, client)
            assert defaults is not None
            start = defaults.current.content
            sp.update_draft(
                s,
                version,
                replace(
                    plan_input(professional_contacts=start.professional_contacts),
                    warning_signs=("No poder dormir", "Alejarme de mis amigas"),
                ),
            )
    return client


def pdf(vault: Vault, kind: str, client: uuid.UUID, lang: str | None = None) -> tuple[str, int]:
    with vault.session() as s:
        made = make_report(s, ReportRequest(kind, client, lang=lang))
    return text_of(made.data), made.pages


def test_a_spanish_speaking_client_gets_a_spanish_plan_by_default(vault: Vault) -> None:
    client = spanish_client(vault)
    got, _ = pdf(vault, "safety-plan", client)
    for key in ("title", "crisis_box", "signatures", "my_signature"):
        assert text("es", "safety_plan", key) in got
    for step in sp.STEPS:
        assert text("es", "safety_plan", f"step.{step.key}.prompt") in got
    # the client's own words, once, accents intact; the date as Spanish writes it
    assert "No poder dormir" in got and "Lucía" in got and "Ramírez Peña" in got
    assert f"plan del {SPANISH.date(TODAY)}" in got and " de 20" in got
    # the crisis lines the plan started with are in Spanish, with 988's Spanish options
    assert "988 Línea de Prevención del Suicidio y Crisis" in got
    assert "oprima 2" in got and "AYUDA" in got
    assert "Página 1 de" in got and "Confidencial" in got
    assert english_left(got) == []


def test_english_and_both_on_request(vault: Vault) -> None:
    client = spanish_client(vault)
    english, _ = pdf(vault, "safety-plan", client, "en")
    assert "My safety plan" in english and "Mi plan de seguridad" not in english
    assert "Página" not in english and "Page 1 of" in english
    both, pages = pdf(vault, "safety-plan", client, "both")
    for key in (
        "title",
        "crisis_box",
        "step.warning_signs.prompt",
        "step.reasons_for_living.prompt",
    ):
        assert text("es", "safety_plan", key) in both
        assert text("en", "safety_plan", key) in both
    spanish_at = both.index("Mi plan de seguridad")
    assert spanish_at < both.index("My safety plan"), "the client's language leads"
    assert both.count("No poder dormir") == 1, "the client's words appear once"
    assert pages <= 4


def test_a_plan_written_in_spanish_prints_in_spanish_for_an_english_preference(
    vault: Vault,
) -> None:
    client = spanish_client(vault, documents="english")
    english, _ = pdf(vault, "safety-plan", client)
    assert "My safety plan" in english, "documents: English"
    with vault.unit_of_work() as s:
        state = sp.get_safety_plan(s, client)
        assert state is not None
        sp.update_draft(s, state.current.id, replace(state.current.content, language="es-MX"))
    spanish, _ = pdf(vault, "safety-plan", client)
    assert "Mi plan de seguridad" in spanish, "the plan's own language wins"


def test_an_unedited_english_default_prints_in_spanish_and_an_edited_one_as_written(
    vault: Vault,
) -> None:
    with vault.unit_of_work() as s:
        client = add_client(s, ClientInput("Rosa", "Quintero", date(1990, 1, 5)))
        version = sp.create_safety_plan(s, client)  # English defaults
        state = sp.get_safety_plan(s, client)
        assert state is not None
        lines = state.current.content.professional_contacts
        edited = replace(lines[-1], organisation="Llame al 911 (mi vecina sabe la dirección)")
        content = replace(state.current.content, professional_contacts=(*lines[:-1], edited))
        sp.update_draft(s, version, content)
        current = get_client(s, client).data
        update_client(s, client, replace(current, preferred_language="es"))
    got, _ = pdf(vault, "safety-plan", client)
    assert "988 Línea de Prevención del Suicidio y Crisis" in got
    assert "mi vecina sabe la dirección" in got
    assert "Emergency services" in got, "an edited entry is the practitioner's words, kept"


@pytest.mark.parametrize("lang", ["es", "both"])
def test_the_wallet_card_in_spanish_and_both_stays_on_the_card(vault: Vault, lang: str) -> None:
    client = spanish_client(vault)
    with vault.session() as s:
        data = sp.safety_plan_data(s, client)
    tongue = Tongue(("es",) if lang == "es" else ("es", "en"))
    made, card = wallet_card.build_with_layout(data, tongue)
    assert made.pages == 1 and made.languages == tongue.languages
    assert_inside(card)
    got = text_of(made.data)
    for key in ("card.heading", "card.who_i_can_call", "step.warning_signs.title"):
        assert text("es", "safety_plan", key) in got
    assert "No poder dormir" in got
    if lang == "es":
        assert english_left(got) == []
        assert f"Versión 1 del {SPANISH.date(TODAY, 'medium')}" in got
    else:
        assert "Warning signs" in got and "Who I can call" in got
    headings = [line.text for side in (card.front, card.back) for line in side.lines
                if line.font == wallet_card.BOLD and line.color == "accent"]  # fmt: skip
    assert headings and not [h for h in headings if h.endswith("…")], headings


def test_the_card_follows_the_clients_preference(vault: Vault) -> None:
    client = spanish_client(vault)
    with vault.session() as s:
        made = make_report(s, ReportRequest("wallet-card", client))
    assert made.languages == ("es",)
    assert "Tarjeta de bolsillo del plan de seguridad" in text_of(made.data)
