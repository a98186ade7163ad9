"""The measures history reads back: each measure's scores, bands, alerts and change."""

from __future__ import annotations

import io
import uuid
from datetime import date, timedelta

import pytest
from pypdf import PdfReader

from mhsw_desktop.domain.client_rules import ClientInput
from mhsw_desktop.domain.measures import EventKind
from mhsw_desktop.reports.make import ReportRequest, make_report
from mhsw_desktop.services.clients import add_client
from mhsw_desktop.services.measures import EventInput, MeasureInput, add_event, add_measure
from mhsw_desktop.vault.vault import Vault
from tests.reports.test_reports import flat, in_order

TODAY = date.today()


@pytest.fixture
def client_id(vault: Vault) -> uuid.UUID:
    with vault.unit_of_work() as session:
        return add_client(session, ClientInput("Søren", "Nguyễn", date(1990, 2, 3)))


def test_measures_history_in_order_with_bands_alerts_and_change(
    vault: Vault, client_id: uuid.UUID
) -> None:
    phq = [
        (TODAY - timedelta(days=84), (3, 3, 2, 2, 2, 2, 2, 2, 1)),  # 19, item 9 = 1
        (TODAY - timedelta(days=42), (2, 2, 2, 1, 1, 1, 1, 1, 0)),  # 11
        (TODAY - timedelta(days=7), (1, 1, 1, 0, 1, 0, 1, 0, 0)),  # 5
    ]
    with vault.unit_of_work() as session:
        for taken, answers in phq:
            add_measure(session, MeasureInput(client_id, "phq9", answers, taken))
        add_measure(session, MeasureInput(client_id, "gad7", (2, 2, None, 1, 1, 1, 1), TODAY))
        add_event(
            session,
            EventInput(client_id, TODAY - timedelta(days=60), EventKind.MEDICATION_CHANGE,
                       "Started sertraline"),
        )  # fmt: skip
    with vault.session() as session:
        pdf = make_report(session, ReportRequest("measures", client_id))
    text = flat(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages))
    assert in_order(
        text, "Measures history", "Søren Nguyễn", "PHQ-9",
        (TODAY - timedelta(days=84)).isoformat(), "19", "Moderately severe",
        (TODAY - timedelta(days=42)).isoformat(), "11", "Moderate",
        (TODAY - timedelta(days=7)).isoformat(), "5", "Mild", "GAD-7",
    )  # fmt: skip
    assert "Started sertraline" in text  # the marker on the chart
    assert "not scored" in text and "unanswered: items 3" in text  # no invented GAD-7 total
    assert "Minimal (0–4)" in text or "Minimal" in text  # the bands are labelled
