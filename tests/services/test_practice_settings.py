"""Practice settings for reports: the paper size and the practice logo, in a real vault."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from PIL import Image

from mhsw_desktop.errors import ValidationError
from mhsw_desktop.services.practitioner import (
    LOGO_FIT_PX,
    MAX_LOGO_BYTES,
    PractitionerInput,
    get_logo,
    get_practitioner,
    logo_pixel_size,
    save_practitioner,
    set_logo,
)
from mhsw_desktop.vault.vault import Vault

PROFILE = PractitionerInput(
    name="Avery Lindqvist", credentials="LCSW", licence_number="SYN-1", practice_name="Harbor"
)


def image_bytes(size: tuple[int, int], fmt: str = "PNG", **save: object) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (20, 90, 160)).save(out, format=fmt, **save)
    return out.getvalue()


def decoded(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    image.load()
    return image


def test_a_new_profile_prints_on_letter(vault: Vault) -> None:
    with vault.unit_of_work() as session:
        assert get_practitioner(session).paper_size == "letter"
        assert get_logo(session) is None
        save_practitioner(session, PROFILE)
    with vault.session() as session:
        assert get_practitioner(session).paper_size == "letter"


@pytest.mark.parametrize(("given", "stored"), [("a4", "a4"), ("A4", "a4"), (" Letter ", "letter")])
def test_paper_size_is_saved(vault: Vault, given: str, stored: str) -> None:
    with vault.unit_of_work() as session:
        save_practitioner(session, replace(PROFILE, paper_size=given))
    with vault.session() as session:
        assert get_practitioner(session).paper_size == stored


@pytest.mark.parametrize("given", ["legal", "", "a5", "letter-size"])
def test_an_unknown_paper_size_is_refused(vault: Vault, given: str) -> None:
    with vault.unit_of_work() as session, pytest.raises(ValidationError) as caught:
        save_practitioner(session, replace(PROFILE, paper_size=given))
    assert caught.value.errors == {"paper_size": "must be Letter or A4"}
    assert str(caught.value) == "Please correct: paper size: must be Letter or A4"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b"%PDF-1.7 not an image at all", "the file is not a PNG or JPEG image"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "the file is not a PNG or JPEG image"),
        (image_bytes((40, 40), "GIF"), "the file is not a PNG or JPEG image"),
        (image_bytes((40, 40), "BMP"), "the file is not a PNG or JPEG image"),
        (image_bytes((400, 300))[:200], "the file is not a PNG or JPEG image"),  # truncated
    ],
    ids=["empty", "text", "png-header-only", "gif", "bmp", "truncated-png"],
)
def test_what_is_not_a_png_or_jpeg_is_refused(vault: Vault, data: bytes, message: str) -> None:
    with vault.unit_of_work() as session:
        save_practitioner(session, PROFILE)
        with pytest.raises(ValidationError) as caught:
            set_logo(session, data)
    assert caught.value.errors == {"logo": message}
    with vault.session() as session:
        assert get_logo(session) is None


def test_an_image_over_4000_px_is_refused(vault: Vault) -> None:
    wide = image_bytes((4001, 10))  # a small file: the pixel size is what is refused
    with vault.unit_of_work() as session, pytest.raises(ValidationError) as caught:
        set_logo(session, wide)
    assert caught.value.errors == {"logo": "the image is 4001x10 pixels; at most 4000x4000 fit"}


def test_a_file_over_2_mb_is_refused_before_decoding(vault: Vault) -> None:
    big = image_bytes((64, 64)) + b"\x00" * MAX_LOGO_BYTES
    with vault.unit_of_work() as session, pytest.raises(ValidationError) as caught:
        set_logo(session, big)
    assert caught.value.errors == {"logo": "the file is larger than 2 MB"}


def test_a_jpeg_with_exif_is_stored_as_a_png_without_it(vault: Vault) -> None:
    exif = Image.Exif()
    exif[0x010F] = "SyntheticCam"  # Make
    exif[0x0131] = "secret-software"  # Software
    exif[0x8825] = {2: (45.0, 30.0, 0.0), 1: "N"}  # GPS latitude
    jpeg = image_bytes((1200, 800), "JPEG", exif=exif, quality=90)
    assert Image.open(io.BytesIO(jpeg)).getexif()[0x010F] == "SyntheticCam"
    with vault.unit_of_work() as session:
        set_logo(session, jpeg)
    with vault.session() as session:
        png = get_logo(session)
    assert png is not None and png.startswith(b"\x89PNG\r\n\x1a\n")
    image = decoded(png)
    assert image.format == "PNG"
    assert image.size == (LOGO_FIT_PX, 400)  # scaled down to fit, proportions kept
    assert logo_pixel_size(png) == (600, 400)
    assert not image.getexif() and "exif" not in image.info and "icc_profile" not in image.info
    for marker in (b"eXIf", b"SyntheticCam", b"secret-software", b"tEXt", b"iTXt", b"zTXt"):
        assert marker not in png


def test_an_upright_logo_stays_upright(vault: Vault) -> None:
    """A phone photo tagged "rotate 90°" is stored turned, since the tag itself is dropped."""
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    jpeg = image_bytes((300, 100), "JPEG", exif=exif)
    with vault.unit_of_work() as session:
        set_logo(session, jpeg)
        png = get_logo(session)
    assert png is not None and logo_pixel_size(png) == (100, 300)


def test_a_small_png_keeps_its_size_and_transparency(vault: Vault) -> None:
    out = io.BytesIO()
    Image.new("RGBA", (120, 60), (200, 0, 0, 0)).save(out, format="PNG")
    with vault.unit_of_work() as session:
        set_logo(session, out.getvalue())
        png = get_logo(session)
    assert png is not None
    image = decoded(png)
    assert image.size == (120, 60) and image.mode == "RGBA"
    assert image.getpixel((0, 0))[3] == 0


def test_a_logo_is_removed_with_none(vault: Vault) -> None:
    with vault.unit_of_work() as session:
        save_practitioner(session, PROFILE)
        set_logo(session, image_bytes((64, 64)))
    with vault.unit_of_work() as session:
        assert get_logo(session) is not None
        set_logo(session, None)
    with vault.session() as session:
        assert get_logo(session) is None
        assert get_practitioner(session) == PROFILE  # the rest of the profile is untouched


def test_removing_a_logo_that_was_never_set_writes_nothing(vault: Vault) -> None:
    with vault.unit_of_work() as session:
        set_logo(session, None)
        assert get_logo(session) is None
        assert get_practitioner(session) == PractitionerInput()


def test_a_logo_before_any_profile_starts_one(vault: Vault) -> None:
    with vault.unit_of_work() as session:
        set_logo(session, image_bytes((64, 32)))
    with vault.unit_of_work() as session:
        assert get_practitioner(session) == PractitionerInput()
        save_practitioner(session, PROFILE)
    with vault.session() as session:
        png = get_logo(session)
        assert png is not None and logo_pixel_size(png) == (64, 32)


def test_saving_the_profile_keeps_the_logo(vault: Vault) -> None:
    with vault.unit_of_work() as session:
        save_practitioner(session, PROFILE)
        set_logo(session, image_bytes((64, 64)))
        stored = get_logo(session)
    with vault.unit_of_work() as session:
        save_practitioner(session, replace(PROFILE, credentials="LCSW, MSW", paper_size="a4"))
    with vault.session() as session:
        assert get_logo(session) == stored
        assert get_practitioner(session).credentials == "LCSW, MSW"


def test_storing_a_stored_logo_again_changes_nothing_visible(vault: Vault) -> None:
    """The GUI checks a choice first and saves the checked PNG: that must pass again."""
    with vault.unit_of_work() as session:
        set_logo(session, image_bytes((900, 900)))
        first = get_logo(session)
        assert first is not None
        set_logo(session, first)
        second = get_logo(session)
    assert second is not None and logo_pixel_size(second) == logo_pixel_size(first) == (600, 600)
    assert decoded(second).tobytes() == decoded(first).tobytes()
