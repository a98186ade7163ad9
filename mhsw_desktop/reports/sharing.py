"""What a copy made for a collaborator says on its first page: for whom, under which release.

A copy holding substance-use information also carries the re-disclosure notice that
must travel with it (42 CFR 2.32).
"""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph, Table

from mhsw_desktop.domain.care_team import SUBSTANCE_USE_REDISCLOSURE_NOTICE
from mhsw_desktop.reports.base import RULE, SHADE, Styles, day, para, table_style
from mhsw_desktop.services.report_data import PreparedFor


def prepared_for_block(shared: PreparedFor | None, st: Styles, width: float) -> list[Flowable]:
    """Nothing for the practitioner's own copy; a boxed statement for a collaborator's."""
    if shared is None:
        return []
    who = shared.recipient + (f", {shared.organisation}" if shared.organisation else "")
    what = ", ".join(c.label.lower() for c in shared.categories)
    lines = [
        Paragraph(f"<b>Copy for {para(who)}</b>", st.body),
        Paragraph(
            f"Shared under the client's release of information signed "
            f"{day(shared.signed_date)}"
            + (f" for: {para(shared.purpose)}" if shared.purpose else "")
            + f". It covers what this copy contains: {para(what)}.",
            st.body,
        ),
    ]
    if shared.substance_use:
        lines.append(Paragraph(f"<b>{para(SUBSTANCE_USE_REDISCLOSURE_NOTICE)}</b>", st.body))
    box = Table([[line] for line in lines], colWidths=[width])
    box.setStyle(
        table_style(
            ("BOX", (0, 0), (-1, -1), 0.8, RULE),
            ("BACKGROUND", (0, 0), (-1, -1), SHADE),
            ("LEFTPADDING", (0, 0), (-1, -1), 6),
            ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        )
    )
    return [box]
