"""Every text of the client documents, in every language, is markup a Paragraph reads
and shows as written (a stray "<" or "&" in a translation would break or garble a page),
and the user text filled into it shows as typed."""

from __future__ import annotations

import re
from html import unescape

import pytest
from reportlab.platypus import Paragraph

from mhsw_desktop.domain import language as lang
from mhsw_desktop.reports.base import styles
from mhsw_desktop.reports.tongue import Tongue

CODES = [code.code for code in lang.languages()]
HOSTILE = "Ana <b> & Co"


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("code", CODES)
def test_every_text_reads_as_written_alone_and_beside_english(code: str) -> None:
    st = styles()
    tongues = [Tongue((code,))] + ([Tongue((code, "en"))] if code != "en" else [])
    for family in lang.families():
        for key, english in lang._english(family).items():
            fields = {name: HOSTILE for name in lang.placeholders(english)}
            own = lang.text(code, family, key, **fields)
            expected = unescape(re.sub(r"<[^>]+>", "", own.replace(HOSTILE, "")))
            shown = Paragraph(Tongue((code,)).pair(family, key, **fields), st.body).getPlainText()
            assert flat(shown.replace(HOSTILE, "")) == flat(expected), f"{code} {family}.{key}"
            if fields:
                assert HOSTILE in shown, f"{code} {family}.{key}: user text not as typed"
            for tongue in tongues[1:]:
                Paragraph(tongue.pair(family, key, **fields), st.body).getPlainText()
