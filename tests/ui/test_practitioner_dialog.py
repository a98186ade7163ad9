"""The practitioner profile dialog: paper size and practice logo, saved through the runner."""

from __future__ import annotations

import io

import pytest
from PIL import Image, PngImagePlugin
from PySide6.QtWidgets import QFileDialog

from mhsw_desktop.services.practitioner import logo_pixel_size
from mhsw_desktop.ui.practitioner_dialog import PractitionerDialog
from tests.ui.conftest import unlock


def write_png(path, size=(800, 400)):
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Synthetic Studio")  # metadata the stored logo must not keep
    Image.new("RGB", size, (30, 110, 90)).save(path, format="PNG", pnginfo=info)
    return path


@pytest.fixture
def chosen_file(monkeypatch):
    """Makes the file dialog "choose" the path put in the returned list (or cancel)."""
    answer = [""]
    asked = []

    def fake(parent, caption, start, filters):
        asked.append((caption, filters))
        return answer[0], filters

    monkeypatch.setattr(QFileDialog, "getOpenFileName", fake)
    return answer, asked


def open_dialog(qtbot, window):
    window.actions_by_id["practitioner_profile"].trigger()
    dialog = [d for d in window.findChildren(PractitionerDialog) if d.isVisible()][-1]
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled())
    return dialog


def test_paper_size_and_logo_are_saved_and_shown_again(
    qtbot, controller, filled_vault, tmp_path, chosen_file
):
    folder, passphrase, _ = filled_vault
    window = unlock(qtbot, controller, folder, passphrase)
    qtbot.addWidget(window)
    answer, asked = chosen_file

    dialog = open_dialog(qtbot, window)
    assert dialog.paper_size.currentText() == "Letter"
    assert dialog.logo is None and dialog.logo_preview.text() == "No logo"
    assert not dialog.remove_logo.isEnabled()
    dialog.widgets["name"].setText("Jordan Reyes")
    dialog.paper_size.setCurrentIndex(dialog.paper_size.findText("A4"))
    answer[0] = str(write_png(tmp_path / "logo.png"))
    dialog.choose_logo.click()
    assert asked == [("Choose the practice logo", "Images (*.png *.jpg *.jpeg)")]
    qtbot.waitUntil(lambda: dialog.logo is not None)
    assert logo_pixel_size(dialog.logo) == (600, 300)  # checked and scaled by the service
    assert b"Synthetic Studio" not in dialog.logo
    assert not dialog.logo_preview.pixmap().isNull()
    assert dialog.logo_preview.accessibleDescription() == "Logo, 600 by 300 pixels"
    assert dialog.remove_logo.isEnabled() and dialog.save_button.isEnabled()
    dialog.grab().save(str(tmp_path / "dialog.png"))
    with qtbot.waitSignal(dialog.saved):
        dialog.save_button.click()

    again = open_dialog(qtbot, window)
    assert again.paper_size.currentText() == "A4"
    assert again.widgets["name"].text() == "Jordan Reyes"
    assert again.logo is not None and logo_pixel_size(again.logo) == (600, 300)
    assert not again.logo_preview.pixmap().isNull()
    # Saving other fields keeps the logo; Remove then Save drops it and keeps the rest.
    again.widgets["credentials"].setText("LCSW")
    with qtbot.waitSignal(again.saved):
        again.save_button.click()
    third = open_dialog(qtbot, window)
    assert third.logo is not None
    third.remove_logo.click()
    assert third.logo is None and third.logo_preview.text() == "No logo"
    assert not third.remove_logo.isEnabled()
    with qtbot.waitSignal(third.saved):
        third.save_button.click()
    fourth = open_dialog(qtbot, window)
    assert fourth.logo is None and fourth.paper_size.currentText() == "A4"
    assert fourth.widgets["credentials"].text() == "LCSW"
    fourth.reject()


def test_a_file_that_is_not_an_image_is_refused_in_plain_words(
    qtbot, controller, filled_vault, tmp_path, chosen_file
):
    folder, passphrase, _ = filled_vault
    window = unlock(qtbot, controller, folder, passphrase)
    qtbot.addWidget(window)
    answer, _asked = chosen_file
    dialog = open_dialog(qtbot, window)

    answer[0] = ""  # cancelled: nothing happens
    dialog.choose_logo.click()
    assert dialog.logo is None and not dialog.logo_changed and dialog.error.text() == ""

    fake = tmp_path / "logo.png"
    fake.write_bytes(b"<html><img src='//server/share/x.png'> not a picture</html>")
    answer[0] = str(fake)
    dialog.choose_logo.click()
    qtbot.waitUntil(lambda: dialog.error.text() != "")
    assert dialog.error.text() == "Please correct: logo: the file is not a PNG or JPEG image"
    assert dialog.logo is None and not dialog.logo_changed
    assert dialog.save_button.isEnabled() and dialog.choose_logo.isEnabled()

    answer[0] = str(tmp_path / "gone.png")
    dialog.choose_logo.click()
    assert dialog.error.text() == "Could not read gone.png: No such file or directory."
    dialog.reject()


def test_a_jpeg_logo_with_exif_is_stored_as_png(
    qtbot, controller, filled_vault, tmp_path, chosen_file
):
    folder, passphrase, _ = filled_vault
    window = unlock(qtbot, controller, folder, passphrase)
    qtbot.addWidget(window)
    answer, _asked = chosen_file
    exif = Image.Exif()
    exif[0x010F] = "SyntheticCam"
    out = io.BytesIO()
    Image.new("RGB", (300, 120), (200, 40, 40)).save(out, format="JPEG", exif=exif)
    (tmp_path / "logo.jpg").write_bytes(out.getvalue())
    answer[0] = str(tmp_path / "logo.jpg")

    dialog = open_dialog(qtbot, window)
    dialog.choose_logo.click()
    qtbot.waitUntil(lambda: dialog.logo is not None)
    assert dialog.logo.startswith(b"\x89PNG") and b"SyntheticCam" not in dialog.logo
    assert logo_pixel_size(dialog.logo) == (300, 120)
    with qtbot.waitSignal(dialog.saved):
        dialog.save_button.click()
    again = open_dialog(qtbot, window)
    assert again.logo is not None and logo_pixel_size(again.logo) == (300, 120)
    again.reject()
