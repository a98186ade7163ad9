"""The language(s) one client document prints in: its texts, dates, times and phones.

A :class:`Tongue` is handed to each client-facing builder. ``t`` gives a text in the
leading language; ``each`` gives it in every language of the document (one, or the
client's and English for a bilingual copy); ``pair`` gives ReportLab markup with the
second language under the first, quieter. Dates and times follow the leading language's
locale (Babel); phone numbers are shown in the national form of the practice's country
and international form otherwise (phonenumbers), or as typed when they are not numbers
a dialler would know (988, a short extension).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cache
from typing import Any
from xml.sax.saxutils import escape

from mhsw_desktop.domain.language import ENGLISH, language, text

#: the country phone numbers without a country code belong to
PHONE_REGION = "US"
#: the colour of the second language in a bilingual copy
SECOND_COLOR = "#52606d"


@cache
def _locale(code: str) -> str:
    return language(code).locale


@dataclass(frozen=True)
class Tongue:
    """The languages of a document, the leading one first (``("es", "en")``)."""

    languages: tuple[str, ...] = (ENGLISH,)

    def __post_init__(self) -> None:
        if not self.languages:
            raise ValueError("a document needs a language")
        for code in self.languages:
            language(code)  # ValidationError for an unknown one

    @property
    def lead(self) -> str:
        return self.languages[0]

    @property
    def bilingual(self) -> bool:
        return len(self.languages) > 1

    @property
    def codes(self) -> str:
        """``es``, or ``es+en`` for a bilingual copy (for audit lines and file names)."""
        return "+".join(self.languages)

    # -- texts ----------------------------------------------------------------------------
    def t(self, family: str, key: str, **fields: Any) -> str:
        """``key`` in the leading language (plain text). A ``date`` among ``fields`` is
        written as that language writes dates."""
        return text(self.lead, family, key, **_dates_in(self.lead, fields))

    def each(self, family: str, key: str, **fields: Any) -> tuple[str, ...]:
        """``key`` in every language of the document, the leading one first; a text that
        reads the same in both (a name, "988") is given once. Dates among ``fields`` are
        written in each language's own way."""
        found: list[str] = []
        for code in self.languages:
            value = text(code, family, key, **_dates_in(code, fields))
            if value not in found:
                found.append(value)
        return tuple(found)

    def joined(self, family: str, key: str, sep: str = " / ", **fields: Any) -> str:
        """``key`` in every language on one line: "Mi plan / My plan" (plain text)."""
        return sep.join(self.each(family, key, **fields))

    def pair(
        self,
        family: str,
        key: str,
        *,
        size: float | None = None,
        inline: bool = False,
        **fields: Any,
    ) -> str:
        """``key`` as Paragraph markup: the leading language, then (bilingual copies)
        the others in a quieter colour, under it or, ``inline``, after a slash.

        ``fields`` are user text and are escaped here; the texts themselves are the
        app's own and may hold ``<b>`` and ``<br/>``.
        """
        safe = {
            name: value if isinstance(value, date) else escape(str(value))
            for name, value in fields.items()
        }
        parts = self.each(family, key, **safe)
        if len(parts) == 1:
            return parts[0]
        attrs = f' color="{SECOND_COLOR}"' + (f' size="{size}"' if size else "")
        rest = "".join(
            (" / " if inline else "<br/>") + f"<font{attrs}><i>{part}</i></font>"
            for part in parts[1:]
        )
        return parts[0] + rest

    # -- formats --------------------------------------------------------------------------
    def date(self, value: date | None, style: str = "long") -> str:
        """``2 de diciembre de 2026`` / ``December 2, 2026`` (``style``: Babel's short,
        medium, long or full)."""
        if value is None:
            return ""
        from babel.dates import format_date

        return str(format_date(value, style, locale=_locale(self.lead)))

    def time(self, value: time | None) -> str:
        """``3:30 p.m.`` / ``3:30 PM``."""
        if value is None:
            return ""
        from babel.dates import format_time

        return str(format_time(value, "short", locale=_locale(self.lead)))

    def moment(self, value: datetime | None) -> str:
        """A day and a time as the leading language writes them: the date, then the time
        (``miércoles, 9 de diciembre de 2026, 3:30 p.m.``)."""
        if value is None:
            return ""
        return f"{self.date(value.date(), 'full')}, {self.time(value.time())}"

    def number(self, value: float | int) -> str:
        from babel.numbers import format_decimal

        return str(format_decimal(value, locale=_locale(self.lead)))

    def phone(self, value: str) -> str:
        return format_phone(value)


def _dates_in(code: str, fields: dict[str, Any]) -> dict[str, Any]:
    """``fields`` with each ``date`` written the long way of ``code``'s locale."""
    if not any(isinstance(v, date) for v in fields.values()):
        return fields
    from babel.dates import format_date

    return {
        name: format_date(v, "long", locale=_locale(code)) if isinstance(v, date) else v
        for name, v in fields.items()
    }


def format_phone(value: str) -> str:
    """A phone number in the national form of :data:`PHONE_REGION` or the international
    form of its own country; anything else (988, "ext 12 after hours") as typed."""
    raw = value.strip()
    digits = sum(ch.isdigit() for ch in raw)
    if digits < 7 or any(ch.isalpha() for ch in raw.lower().replace("ext", "").replace("x", "")):
        return raw
    import phonenumbers

    try:
        number = phonenumbers.parse(raw, PHONE_REGION)
    except phonenumbers.NumberParseException:
        return raw
    if not phonenumbers.is_possible_number(number):
        return raw
    home = phonenumbers.country_code_for_region(PHONE_REGION)
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == home
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return str(phonenumbers.format_number(number, style))


ENGLISH_ONLY = Tongue()
