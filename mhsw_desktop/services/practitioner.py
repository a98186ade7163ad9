"""The practitioner profile: who signs notes, and the practice header of reports."""

from __future__ import annotations

import io
from dataclasses import dataclass, fields

from sqlalchemy import select
from sqlalchemy.orm import Session

from mhsw_desktop.domain.note import Practitioner
from mhsw_desktop.errors import UserFacingError, ValidationError

LIMITS = {
    "name": 200,
    "credentials": 100,
    "licence_number": 100,
    "practice_name": 200,
    "address": 500,
    "phone": 40,
    "paper_size": 10,
}

#: paper sizes reports are laid out for: stored value -> label
PAPER_SIZES: dict[str, str] = {"letter": "Letter", "a4": "A4"}
#: the largest logo file accepted (before it is re-encoded)
MAX_LOGO_BYTES = 2 * 1024 * 1024
#: the largest logo image accepted, in pixels each way (a guard against decompression bombs)
MAX_LOGO_SOURCE_PX = 4000
#: a stored logo fits in this many pixels each way (plenty for a 2-inch header at 300 dpi)
LOGO_FIT_PX = 600


@dataclass(frozen=True)
class PractitionerInput:
    name: str = ""
    credentials: str = ""
    licence_number: str = ""
    practice_name: str = ""
    address: str = ""
    phone: str = ""
    #: "letter" or "a4"
    paper_size: str = "letter"


@dataclass(frozen=True)
class Signer:
    """Who signs, as they were that day (copied onto the note)."""

    name: str
    credentials: str = ""
    licence: str = ""


class ProfileIncomplete(UserFacingError):
    def __init__(self) -> None:
        super().__init__(
            "Fill in your name and credentials in the practitioner profile before signing "
            "(File > Practitioner profile, or `mhsw practitioner set`)."
        )


def _row(session: Session) -> Practitioner | None:
    return session.scalars(select(Practitioner).where(Practitioner.deleted_at.is_(None))).first()


def get_practitioner(session: Session) -> PractitionerInput:
    row = _row(session)
    if row is None:
        return PractitionerInput()
    return PractitionerInput(**{f.name: getattr(row, f.name) for f in fields(PractitionerInput)})


def save_practitioner(session: Session, data: PractitionerInput) -> None:
    """Save the profile's text fields and paper size; the logo is left as it is."""
    clean = {f.name: str(getattr(data, f.name)).strip() for f in fields(PractitionerInput)}
    clean["paper_size"] = clean["paper_size"].casefold()
    errors = {
        name: f"is {len(value)} characters long; at most {LIMITS[name]} fit"
        for name, value in clean.items()
        if len(value) > LIMITS[name]
    }
    if clean["paper_size"] not in PAPER_SIZES:
        errors["paper_size"] = "must be Letter or A4"
    if errors:
        raise ValidationError(errors)
    row = _row(session)
    if row is None:
        row = Practitioner()
        session.add(row)
    for name, value in clean.items():
        setattr(row, name, value)
    session.flush()


def normalise_logo(data: bytes) -> bytes:
    """``data`` (a PNG or JPEG file) as the PNG that is stored: scaled down to fit
    600x600 px, turned upright, with no metadata (EXIF, GPS, text, colour profile).

    Raises ValidationError({"logo": ...}) for anything else, for a file over 2 MB and
    for an image over 4000x4000 px. Needs no vault (the GUI checks a choice with it).
    """
    from PIL import Image, ImageOps, UnidentifiedImageError

    limit = f"{MAX_LOGO_SOURCE_PX}x{MAX_LOGO_SOURCE_PX}"
    if not data:
        raise ValidationError({"logo": "the file is empty"})
    if len(data) > MAX_LOGO_BYTES:
        raise ValidationError(
            {"logo": f"the file is larger than {MAX_LOGO_BYTES // (1024 * 1024)} MB"}
        )
    try:
        with Image.open(io.BytesIO(data), formats=("PNG", "JPEG")) as image:
            width, height = image.size  # read from the header, before any pixel is decoded
            if width > MAX_LOGO_SOURCE_PX or height > MAX_LOGO_SOURCE_PX:
                raise ValidationError(
                    {"logo": f"the image is {width}x{height} pixels; at most {limit} fit"}
                )
            image.load()
            upright = ImageOps.exif_transpose(image)
    except ValidationError:
        raise
    except Image.DecompressionBombError:
        raise ValidationError(
            {"logo": f"the image has too many pixels; at most {limit} fit"}
        ) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise ValidationError({"logo": "the file is not a PNG or JPEG image"}) from None
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
    pixels = upright.convert("RGBA" if has_alpha else "RGB")
    pixels.thumbnail((LOGO_FIT_PX, LOGO_FIT_PX), Image.Resampling.LANCZOS)
    # A new image carries the pixels only: no EXIF, GPS, text chunks or ICC profile.
    clean = Image.new(pixels.mode, pixels.size)
    clean.paste(pixels)
    out = io.BytesIO()
    clean.save(out, format="PNG", optimize=True)
    return out.getvalue()


def logo_pixel_size(png: bytes) -> tuple[int, int]:
    """Width and height in pixels of a stored logo (read from its header)."""
    from PIL import Image

    with Image.open(io.BytesIO(png), formats=("PNG",)) as image:
        return image.size


def set_logo(session: Session, data: bytes | None) -> None:
    """Store ``data`` (a PNG or JPEG file) as the practice logo, or remove it with None.

    See :func:`normalise_logo` for what is accepted and what is stored.
    """
    png = None if data is None else normalise_logo(data)
    row = _row(session)
    if row is None:
        if png is None:
            return
        row = Practitioner()
        session.add(row)
    row.logo = png
    session.flush()


def get_logo(session: Session) -> bytes | None:
    """The practice logo as PNG bytes (at most 600x600 px), or None."""
    row = _row(session)
    return None if row is None else row.logo


def signer_for(session: Session) -> Signer:
    """The signer from the profile; ProfileIncomplete when the name is missing."""
    profile = get_practitioner(session)
    if not profile.name:
        raise ProfileIncomplete()
    return Signer(profile.name, profile.credentials, profile.licence_number)
