"""The board deck export dialog: cover fields kept in the plan, sections, outline, Open folder."""

from __future__ import annotations

from pptx import Presentation

from planner.model import PURPOSES


def slide_titles(path) -> list[str]:
    return [s.shapes.title.text_frame.text for s in Presentation(str(path)).slides]


def make_dialog(window):
    from ui.export_dialog import ExportDialog

    return ExportDialog(window.context, window)


def test_cover_fields_and_sections_shape_the_deck(window, tmp_path):
    dialog = make_dialog(window)
    out = tmp_path / "board.pptx"
    dialog.output.setText(str(out))
    decision = next(p for p in PURPOSES if p != window.context.plan.settings.board_purpose)
    dialog.purpose.setCurrentText(decision)
    dialog.recommendation.setPlainText("The Board is asked to approve phase 2.")
    dialog.sections["appendix"].setChecked(False)
    dialog.sections["timeline"].setChecked(False)
    task = dialog.start_export()
    assert task.wait(60000) and task.error is None, task.error
    settings = window.context.plan.settings
    assert settings.board_purpose == decision
    assert settings.board_recommendation == "The Board is asked to approve phase 2."
    titles = slide_titles(out)
    assert "Executive summary" in titles
    assert not any(t.startswith("Appendix") or t.startswith("Timeline") for t in titles)
    listed = [dialog.outline.item(i).text() for i in range(dialog.outline.count())]
    assert len(listed) == len(titles) and listed[2].endswith(titles[2])
    # the cover edit went through the planner's operations: it is in the change journal
    journaled = [(c.field, c.new) for h in window.context.doc.history() for c in h.changes]
    assert ("board_purpose", decision) in journaled
    dialog.reject()


def test_preview_lists_the_slides_without_writing(window, tmp_path):
    dialog = make_dialog(window)
    out = tmp_path / "not-yet.pptx"
    dialog.output.setText(str(out))
    dialog.sections["outcomes"].setChecked(False)
    task = dialog.start_preview()
    assert task.wait(60000) and task.error is None, task.error
    listed = [dialog.outline.item(i).text() for i in range(dialog.outline.count())]
    assert any("Executive summary" in t for t in listed)
    assert not any("Outcome measures" in t for t in listed)
    assert not out.exists()
    assert not dialog.open_folder_button.isEnabled()
    dialog.reject()


def test_preview_lists_the_slides_the_export_writes(window, tmp_path):
    """The preview said "24 slides would be written" of the sample, whose export writes 25: it
    built the deck without comparing with the last report, which the export does (and the
    sample's achieved milestones run onto a second slide). It compares as the export does."""
    dialog = make_dialog(window)
    out = tmp_path / "board.pptx"
    dialog.output.setText(str(out))
    task = dialog.start_preview()
    assert task.wait(60000) and task.error is None, task.error
    listed = [dialog.outline.item(i).text() for i in range(dialog.outline.count())]
    message = dialog.message.text()
    assert not out.exists()
    task = dialog.start_export()
    assert task.wait(60000) and task.error is None, task.error
    titles = slide_titles(out)
    assert [t.split(".  ", 1)[1] for t in listed] == titles
    assert message == f"{len(titles)} slides would be written."
    dialog.reject()


def test_open_folder_shows_where_the_deck_was_written(window, tmp_path, monkeypatch):
    from PySide6.QtGui import QDesktopServices

    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    dialog = make_dialog(window)
    dialog.output.setText(str(tmp_path / "deck.pptx"))
    task = dialog.start_export()
    assert task.wait(60000) and task.error is None, task.error
    assert dialog.open_folder_button.isEnabled()
    dialog.open_folder_button.click()
    assert [u.toLocalFile() for u in opened] == [str(tmp_path.resolve())]
    dialog.reject()


def test_dialog_fits_a_laptop_screen(window):
    dialog = make_dialog(window)
    dialog.show()
    hint = dialog.minimumSizeHint()
    assert hint.width() <= 1280 and hint.height() <= 760
    dialog.reject()


def test_a_claimed_assurance_the_measures_contradict_is_flagged(window):
    dialog = make_dialog(window)
    dialog.assurance.setCurrentText("Substantial")
    text = dialog.assurance_check.text()
    assert text.startswith("⚠") and "substantial assurance" in text
    dialog.assurance.setCurrentText("Limited")
    assert not dialog.assurance_check.text().startswith("⚠")
    dialog.reject()
