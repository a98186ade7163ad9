"""The community-resource list given to a client, read back: the entries of the client's
open and recent referrals (newest first) or those chosen, each field labelled in the
document's language and typed text as typed, never an entry torn across pages, the crisis
lines at the end; in English, Spanish and both. Synthetic people and places only."""

from __future__ import annotations

import io
import json
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from mhsw_desktop.domain.client_rules import ClientInput
from mhsw_desktop.domain.language import text
from mhsw_desktop.domain.resources import ReferralStatus
from mhsw_desktop.domain.resources import ResourceCategory as Kind
from mhsw_desktop.errors import NotFoundError
from mhsw_desktop.reports.make import ReportRequest, make_report
from mhsw_desktop.reports.tongue import Tongue
from mhsw_desktop.services import safety_plans as sp
from mhsw_desktop.services.clients import add_client
from mhsw_desktop.services.resources import (
    ReferralInput,
    ResourceInput,
    add_referral,
    add_resource,
    delete_resource,
)
from mhsw_desktop.vault.vault import Vault
from tests.cli.test_cli import mhsw
from tests.reports.test_next_steps import english_left, flat, in_order, pdf_text, practice
from tests.support import PASSPHRASE, create_vault

FAMILY = "resources"
TODAY = date.today()


def pantry(name: str = "Despensa Comunitaria del Valle", **changes: object) -> ResourceInput:
    fields: dict[str, object] = {
        "services": "Alimentos gratis cada semana; comida caliente los viernes.",
        "categories": (Kind.FOOD,),
        "eligibility": "Cualquier persona del condado",
        "hours": "lunes a viernes, 9:00–17:00\nsábados, 10:00–14:00",
        "phone": "802-555-0150",
        "email": "ayuda@despensa-valle.example.org",
        "website": "www.despensa-valle.example.org",
        "address": "45 Elm St\nRiverbend, VT 05601",
        "languages": "Español, inglés",
        "notes": "Ask for Marisol at the back door",  # the practitioner's note: not printed
    }
    fields.update(changes)
    return ResourceInput(name, **fields)  # type: ignore[arg-type]


def referred_client(vault: Vault, *, language: str = "en", documents: str = "client") -> uuid.UUID:
    """A client with referrals: two recent ones, an old one still open, and three that are
    not listed (completed long ago, declined, and to a place since deleted)."""
    with vault.unit_of_work() as s:
        practice(s)
        client = add_client(
            s,
            ClientInput("Lucía", "Ramírez Peña", date(1979, 6, 2), preferred_language=language,
                        document_language=documents),
        )  # fmt: skip
        food = add_resource(s, pantry())
        housing = add_resource(
            s,
            pantry("Casa Esperanza", categories=(Kind.HOUSING, Kind.BENEFITS),
                   services="Ayuda para encontrar vivienda y solicitar beneficios.",
                   phone="802-555-0160", eligibility="", website="", email=""),
        )  # fmt: skip
        grief = "Un grupo de duelo, los martes por la noche."
        group = add_resource(
            s, pantry("Grupo de los martes", categories=(Kind.SUPPORT_GROUPS,), services=grief)
        )
        rides = add_resource(s, pantry("Green Mountain Rides", categories=(Kind.TRANSPORT,)))
        legal = add_resource(s, pantry("Asesoría Valle", categories=(Kind.LEGAL_AID,)))
        gone = add_resource(s, pantry("Centro Cerrado"))
        long_ago = TODAY - timedelta(days=200)
        add_referral(s, ReferralInput(client, group, long_ago))  # still open
        add_referral(s, ReferralInput(client, rides, long_ago, ReferralStatus.COMPLETED,
                                      long_ago + timedelta(days=10)))  # fmt: skip
        add_referral(s, ReferralInput(client, food, TODAY - timedelta(days=10)))
        add_referral(s, ReferralInput(client, legal, TODAY - timedelta(days=5),
                                      ReferralStatus.DECLINED))  # fmt: skip
        add_referral(s, ReferralInput(client, gone, TODAY - timedelta(days=4)))
        delete_resource(s, gone)
        add_referral(s, ReferralInput(client, housing, TODAY - timedelta(days=2),
                                      ReferralStatus.ACCEPTED))  # fmt: skip
    return client


def listing(vault: Vault, client: uuid.UUID, **request: object) -> tuple[str, int, tuple[str, ...]]:
    with vault.session() as s:
        made = make_report(s, ReportRequest("resources", client, **request))  # type: ignore[arg-type]
    return pdf_text(made.data), made.pages, made.languages


NOT_LISTED = ("Green Mountain Rides", "Asesoría Valle", "Centro Cerrado")


# -- English -------------------------------------------------------------------------------
def test_the_referrals_newest_first_with_every_field_labelled(vault: Vault) -> None:
    client = referred_client(vault)
    got, _, languages = listing(vault, client, lang="en")
    assert languages == ("en",)
    assert in_order(
        got, "Harbor Lane Counseling", "Community resources for you", "Lucía Ramírez Peña",
        Tongue().date(TODAY), text("en", FAMILY, "intro.referred"),
        "Casa Esperanza", "Housing · Public benefits",
        "Despensa Comunitaria del Valle", "Food",
        "What they offer", "Alimentos gratis cada semana; comida caliente los viernes.",
        "Who can use it", "Cualquier persona del condado",
        "Languages spoken", "Español, inglés", "Website", "www.despensa-valle.example.org",
        "Email", "ayuda@despensa-valle.example.org",
        "Phone", "(802) 555-0150", "Hours", "lunes a viernes, 9:00–17:00", "sábados",
        "Address", "45 Elm St",
        "Grupo de los martes", "Support groups",
        "If you need help right away", "988 Suicide & Crisis Lifeline", "Emergency services",
        text("en", FAMILY, "questions"), "Harbor Lane Counseling, (802) 555-0142",
    )  # fmt: skip
    for absent in NOT_LISTED:
        assert absent not in got, absent
    assert "Marisol" not in got, "the directory's own notes stay off the client's copy"
    # an entry without a website or an eligibility has no empty label for them
    casa = got[got.index("Casa Esperanza") : got.index("Despensa Comunitaria")]
    assert "Website" not in casa and "Who can use it" not in casa


def test_chosen_resources_in_the_order_given_and_refusals(vault: Vault) -> None:
    client = referred_client(vault)
    with vault.unit_of_work() as s:
        first = add_resource(s, pantry("<b>Not bold</b> & Co", categories=()))
        second = add_resource(s, pantry("Zeta Clinic"))
        other = add_client(s, ClientInput("Tomás", "Quintero", date(1990, 1, 5)))
    got, _, _ = listing(vault, client, lang="en", resource_ids=(second, first, second))
    assert text("en", FAMILY, "intro.chosen") in got
    assert in_order(got, "Zeta Clinic", "<b>Not bold</b> & Co", "If you need help right away")
    assert got.count("Zeta Clinic") == 1, "each entry once"
    assert "Casa Esperanza" not in got, "only the chosen ones"
    with vault.session() as s:
        with pytest.raises(NotFoundError, match="No community resource with id"):
            make_report(s, ReportRequest("resources", client, resource_ids=(first, uuid.uuid4())))
        with pytest.raises(NotFoundError, match="make a referral first"):
            make_report(s, ReportRequest("resources", other))
    # the same resources print for a client without referrals when chosen
    got, _, _ = listing(vault, other, resource_ids=(first,))
    assert "<b>Not bold</b> & Co" in got


def test_an_entry_is_never_torn_across_pages(vault: Vault) -> None:
    with vault.unit_of_work() as s:
        practice(s)
        client = add_client(s, ClientInput("Ana", "González", date(1985, 3, 14)))
        chosen = tuple(
            add_resource(
                s,
                pantry(
                    f"Servicio número {n}",
                    services="Ayuda con trámites y formularios. " * 12,
                    eligibility=f"Requisito del servicio {n}, fin",
                ),
            )
            for n in range(1, 9)
        )
    with vault.session() as s:
        made = make_report(s, ReportRequest("resources", client, resource_ids=chosen))
    pages = [flat(p.extract_text() or "") for p in PdfReader(io.BytesIO(made.data)).pages]
    assert len(pages) > 2
    for n in range(1, 9):
        holding = [i for i, page in enumerate(pages) if f"Servicio número {n}" in page]
        assert len(holding) == 1, n
        assert f"Requisito del servicio {n}, fin" in pages[holding[0]], f"entry {n} was split"
    assert "988" in pages[-1]


def test_the_safety_plans_lines_when_there_is_a_plan(vault: Vault) -> None:
    client = referred_client(vault)
    with vault.unit_of_work() as s:
        sp.create_safety_plan(s, client)
    got, _, _ = listing(vault, client, lang="en")
    assert text("en", FAMILY, "help.from_plan") in got
    assert "988 Suicide & Crisis Lifeline" in got


# -- Spanish and both ----------------------------------------------------------------------
def test_the_spanish_list_has_no_english_of_its_own(vault: Vault) -> None:
    client = referred_client(vault, language="es")
    got, _, languages = listing(vault, client, lang="es")
    assert languages == ("es",)
    for key in ("title", "intro.referred", "intro.call_ahead", "label.services", "label.hours",
                "label.phone", "label.address", "label.website", "label.email",
                "label.languages", "label.eligibility", "category.food", "category.housing",
                "category.benefits", "category.support_groups", "help.heading", "help.default",
                "questions"):  # fmt: skip
        assert text("es", FAMILY, key) in got, key
    assert "Vivienda · Beneficios públicos" in got
    assert f"· {Tongue(('es',)).date(TODAY)}" in got and " de 20" in got
    assert "Alimentos gratis cada semana; comida caliente los viernes." in got
    assert "988 Línea de Prevención del Suicidio y Crisis" in got and "oprima 2" in got
    assert "Página 1 de" in got and "Confidencial" in got
    assert english_left(got, (FAMILY,)) == []


def test_a_spanish_speaking_client_gets_spanish_by_default(vault: Vault) -> None:
    client = referred_client(vault, language="es")
    got, _, languages = listing(vault, client)
    assert languages == ("es",)
    assert "Recursos comunitarios para usted" in got and "Community resources" not in got
    english, _, _ = listing(vault, client, lang="en")
    assert english_left(english, (FAMILY,)), "the check finds English where there is some"


def test_both_lead_with_spanish_and_the_entries_once(vault: Vault) -> None:
    client = referred_client(vault, language="es", documents="both")
    got, pages, languages = listing(vault, client)
    assert languages == ("es", "en")
    for key in ("title", "intro.referred", "label.services", "label.hours", "category.food",
                "help.heading", "questions"):  # fmt: skip
        assert text("es", FAMILY, key) in got and text("en", FAMILY, key) in got, key
    assert "Horario / Hours" in got and "Alimentos / Food" in got
    assert got.index("Recursos comunitarios para usted") < got.index("Community resources for you")
    assert got.count("Despensa Comunitaria del Valle") == 1
    assert got.count("Alimentos gratis cada semana") == 1
    # once on the first page, then in the running line at the top of each later page
    assert got.count("Lucía Ramírez Peña") == pages


# -- the command line ----------------------------------------------------------------------
def test_the_command_line_prints_it_in_spanish(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    opened, _ = create_vault(folder)
    try:
        client = referred_client(opened)
    finally:
        opened.lock()
    out = tmp_path / "resources.pdf"
    result = mhsw("--vault", str(folder), "report", "resources", "--client", str(client),
                  "--lang", "es", "-o", str(out), "--json", stdin=f"{PASSPHRASE}\n")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["languages"] == ["es"]
    assert "Recursos comunitarios para usted" in pdf_text(out.read_bytes())
    refused = mhsw("--vault", str(folder), "report", "resources", "--client", str(client),
                   "--resource", str(uuid.uuid4()), "-o", str(tmp_path / "x.pdf"),
                   stdin=f"{PASSPHRASE}\n")  # fmt: skip
    assert refused.returncode == 1 and "No community resource with id" in refused.stderr
    assert not (tmp_path / "x.pdf").exists()
