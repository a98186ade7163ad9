"""Collaborators as vCards: round trips in 3.0 and 4.0, other programs' cards, duplicates,
and malformed files that import nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from mhsw_desktop.domain.care_team import CollaboratorRole, ContactMethod
from mhsw_desktop.services import care_team as ct
from mhsw_desktop.services.vcard import (
    MAX_VCARD_BYTES,
    VCardError,
    collaborators_to_vcards,
    export_vcards,
    import_vcards,
    parse_vcards,
)
from mhsw_desktop.vault.vault import Vault
from tests.support import create_vault

DIRECTORY = [
    ct.CollaboratorInput(
        name="Maya Okafor",
        role=CollaboratorRole.PSYCHIATRIST,
        credentials="MD, MPH",
        organisation="Harbor Lane Clinic; Psychiatry, Inc.",
        phone="(406) 555-0123",
        fax="(406) 555-0124",
        email="maya.okafor@example.org",
        address="12 Quay St, Suite 4\nPort Synth, MT 59000",
        preferred_contact=ContactMethod.FAX,
        notes="Prefers faxed summaries; call before 10:00.\nOut on Fridays. Über-careful.",
    ),
    ct.CollaboratorInput(name="José Núñez", role=CollaboratorRole.PEER_SUPPORT),
    ct.CollaboratorInput(
        name="Theo Brandt",
        role=CollaboratorRole.PROBATION_PAROLE,
        phone="406-555-0150 ext. 12",
        preferred_contact=ContactMethod.LETTER,
        notes="x" * 3000,  # long lines fold
    ),
]


def rows(vault: Vault) -> list[ct.CollaboratorInput]:
    with vault.session() as session:
        return [row.data for row in ct.list_collaborators(session)]


def fill(vault: Vault) -> None:
    with vault.unit_of_work() as session:
        for entry in DIRECTORY:
            ct.add_collaborator(session, entry)


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_a_directory_survives_the_round_trip(vault: Vault, tmp_path: Path, version: str) -> None:
    fill(vault)
    with vault.session() as session:
        text = export_vcards(session, version)  # type: ignore[arg-type]
    assert text.count("BEGIN:VCARD") == 3 and f"VERSION:{version}" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    other, _ = create_vault(tmp_path / "other")
    with other:
        with other.unit_of_work() as session:
            result = import_vcards(session, text.encode("utf-8"))
        assert len(result.imported) == 3 and result.skipped == ()
        assert rows(other) == rows(vault)
        # importing the same file again adds no one: every card is a duplicate
        with other.unit_of_work() as session:
            again = import_vcards(session, text.encode("utf-8"))
        assert again.imported == () and len(again.skipped) == 3
        assert {s.duplicate_of for s in again.skipped} == set(result.imported)
        assert len(rows(other)) == 3


def test_the_export_speaks_each_version(vault: Vault) -> None:
    fill(vault)
    with vault.session() as session:
        v3 = export_vcards(session, "3.0")
        v4 = export_vcards(session, "4.0")
    assert "TEL;TYPE=WORK,FAX:(406) 555-0124" in v3
    assert "TEL;TYPE=work,fax:(406) 555-0124" in v4
    assert "EMAIL;TYPE=INTERNET,WORK:maya.okafor@example.org" in v3
    assert "N:Okafor;Maya;;;MD\\, MPH" in v3
    assert "ROLE:Psychiatrist" in v3 and "X-MHSW-ROLE:psychiatrist" in v3
    with pytest.raises(ValueError, match="version"):
        collaborators_to_vcards([], "2.1")  # type: ignore[arg-type]


def test_cards_from_other_programs() -> None:
    apple = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Apple Inc.//iPhone OS 17.0//EN\r\n"
        "N:Okafor;Maya;;Dr.;MD\r\nFN:Dr. Maya Okafor MD\r\nORG:Harbor Clinic;Psychiatry\r\n"
        "TITLE:Consulting psychiatrist\r\n"
        "item1.EMAIL;type=INTERNET;type=pref:maya@example.org\r\n"
        "item1.X-ABLabel:_$!<Other>!$_\r\n"
        "TEL;type=CELL:(406) 555-0110\r\n"
        "TEL;type=WORK;type=VOICE;type=pref:(406) 555-0111\r\n"
        "TEL;type=WORK;type=FAX:(406) 555-0112\r\n"
        "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRg==\r\n"
        "BDAY:1980-04-15\r\nEND:VCARD\r\n"
    )
    rfc6350 = (
        "BEGIN:VCARD\nVERSION:4.0\nKIND:individual\nFN:Ann Lee\nN:Lee;Ann;;;\n"
        'TEL;VALUE=uri;TYPE="voice,work";PREF=1:tel:+1-406-555-0142;ext=12\n'
        "PHOTO:data:image/jpeg;base64,MIICajCCAdOgAwIBAgICBEUwDQYJKoZIhvcN\n"
        "BDAY:--0415\nROLE:Case Manager\n"
        "ADR;TYPE=work:;;1 Main St;Springfield;MT;59000;USA\nEND:VCARD\n"
    )
    maya, ann = parse_vcards(("\ufeff" + apple + rfc6350).encode("utf-8"))
    assert maya.data == ct.CollaboratorInput(
        name="Dr. Maya Okafor",
        role=CollaboratorRole.PSYCHIATRIST,
        credentials="MD",
        organisation="Harbor Clinic, Psychiatry",
        phone="(406) 555-0111",
        fax="(406) 555-0112",
        email="maya@example.org",
    )
    assert ann.number == 2 and ann.data == ct.CollaboratorInput(
        name="Ann Lee",
        role=CollaboratorRole.CASE_MANAGER,
        phone="+1-406-555-0142 ext. 12",
        address="1 Main St\nSpringfield, MT 59000\nUSA",
    )


def test_a_card_without_fn_is_named_from_n() -> None:
    (card,) = parse_vcards(b"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Ito;Ben;K.;;\r\nEND:VCARD\r\n")
    assert card.data.name == "Ben K. Ito"


def test_duplicates_in_the_file_and_the_directory_are_skipped_and_reported(
    vault: Vault,
) -> None:
    fill(vault)
    text = (
        # the same person as in the directory, spelled and dialled differently
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:MAYA  okafor\r\nTEL:+1 406 555 0123\r\nEND:VCARD\r\n"
        # a namesake with another number is someone else
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Maya Okafor\r\nTEL:406 555 0199\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Lena Park\r\nTEL:406 555 0170\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Lena Park\r\nTEL:(406) 555-0170\r\nEND:VCARD\r\n"
        # no phone at all, like José in the directory
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Jose Nunez\r\nEND:VCARD\r\n"
    )
    with vault.unit_of_work() as session:
        okafor = ct.list_collaborators(session)[1]
        jose = ct.list_collaborators(session)[0]
        assert okafor.name == "Maya Okafor" and jose.name == "José Núñez"
        result = import_vcards(session, text.encode())
    assert len(result.imported) == 2
    assert [(s.number, s.name, s.duplicate_of) for s in result.skipped] == [
        (1, "MAYA  okafor", okafor.id),
        (4, "Lena Park", None),
        (5, "Jose Nunez", jose.id),
    ]
    assert result.to_json()["skipped"][1] == {"card": 4, "name": "Lena Park", "duplicate_of": None}
    assert len(rows(vault)) == 5


MALFORMED = [
    (b"", "holds no vCards"),
    (b"hello world\r\n", "not a valid vCard file (line "),
    (b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Lee\r\n", "not a valid vCard file"),
    (b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\nEND:VCARD\r\nGARBAGE\r\n", "(line "),
    (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", "is a VCALENDAR, not a vCard"),
    (b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Ann\r\nEND:VCARD\r\n", "vCard 2.1, which is not"),
    (b"BEGIN:VCARD\r\nVERSION:3.0\r\nORG:Clinic\r\nEND:VCARD\r\n", "has no name (FN or N)"),
    ("BEGIN:VCARD\r\nFN:Zoë\r\nEND:VCARD\r\n".encode("latin-1"), "not UTF-8"),
    (
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\nPHOTO;ENCODING=b:!!!notbase64\r\nEND:VCARD\r\n",
        "not a valid vCard file",
    ),
    (
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\nEMAIL:ann-at-example.org\r\nEND:VCARD\r\n",
        "(Ann): email does not look like an email address",
    ),
    (
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\nTEL:call me\r\nEND:VCARD\r\n"
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bo\r\nNOTE:" + b"x" * 4001 + b"\r\nEND:VCARD\r\n",
        "(Ann): phone does not look like a phone number; card",
    ),
]


@pytest.mark.parametrize(("data", "words"), MALFORMED)
def test_a_malformed_file_says_why_and_imports_nothing(
    vault: Vault, data: bytes, words: str
) -> None:
    good = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Lena Park\r\nTEL:406 555 0170\r\nEND:VCARD\r\n"
    # alone, and after a good card (which must not be imported either)
    for payload in (data, good + data) if data else (data,):
        with pytest.raises(VCardError) as caught, vault.unit_of_work() as session:
            import_vcards(session, payload)
        message = str(caught.value)
        assert words in message, message
        assert message.endswith("Nothing was imported.")
        assert "\n" not in message and caught.value.exit_code == 1
    assert rows(vault) == []


def test_a_huge_file_is_refused_before_it_is_read(vault: Vault) -> None:
    with pytest.raises(VCardError, match="larger than 10 MB"), vault.unit_of_work() as session:
        import_vcards(session, b" " * (MAX_VCARD_BYTES + 1))


CORPUS = Path(__file__).parents[3] / "shared" / "corpus" / "vcard"


@pytest.mark.skipif(
    not CORPUS.is_dir(), reason=f"no real-world vCards in {CORPUS} (the corpus has none yet)"
)
@pytest.mark.parametrize(
    "path",
    sorted(CORPUS.glob("*.vcf")) if CORPUS.is_dir() else [],
    ids=lambda p: p.name,
)
def test_real_world_vcards_import_or_are_refused_cleanly(vault: Vault, path: Path) -> None:
    """Files other programs wrote: each imports, or is refused whole with a clear message."""
    data = path.read_bytes()
    try:
        with vault.unit_of_work() as session:
            result = import_vcards(session, data)
    except VCardError as exc:
        assert str(exc).endswith("Nothing was imported."), str(exc)
        assert rows(vault) == []
    else:
        assert len(result.imported) + len(result.skipped) == data.upper().count(b"BEGIN:VCARD")
        assert len(rows(vault)) == len(result.imported)
