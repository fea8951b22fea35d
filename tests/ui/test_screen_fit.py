"""Every window and dialog fits a 1366x768 laptop screen (tests/conftest.py gives the offscreen
platform that one screen) and scrolls inside itself: its frame, with room for a real title bar,
is within the screen's available area, and nothing forces it bigger (its minimum size fits too).

The dashboard and Generate are another engineer's; they are in while they fit.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFormLayout, QLabel, QScrollArea

from app.ui.fitting import FRAME_ALLOWANCE
from app.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot, session):
    w = MainWindow(session)
    qtbot.addWidget(w)
    w.show()
    yield w
    w.runner.wait()


def _accept(window):
    from app.ui.accept_dialog import AcceptDialog

    return AcceptDialog(window.session.findings.head(3), window.session.catalogue, window)


def _export(window):
    from app.ui.exporting import ExportDialog

    return ExportDialog(window.session.providers(), window)


def _mapping(window):
    from app.ui.mapping_dialog import MappingDialog

    return MappingDialog.for_screenshot(window)


def _generate(window):
    from app.ui.generate_dialog import GenerateDialog

    return GenerateDialog(window)


OPENERS = {"help": lambda w: w.show_help(), "dashboard": lambda w: w.show_dashboard(), "settings": lambda w: w.show_settings(),
           "rules": lambda w: w.show_rules(), "mapping": _mapping, "accept": _accept, "export": _export,
           "generate": _generate}


def test_the_test_screen_is_a_laptops(qapp) -> None:
    area = QGuiApplication.primaryScreen().availableGeometry()
    assert (area.width(), area.height()) == (1366, 768)


def _assert_fits(widget, *, title_bar: bool = True) -> None:
    """The frame is on the screen; with ``title_bar``, also with room for a real title bar and taskbar."""
    area = widget.screen().availableGeometry()
    frame = widget.frameGeometry()
    assert area.contains(frame), f"{widget.windowTitle()}: {frame} is not within {area}"
    if not title_bar:
        return
    assert widget.height() + FRAME_ALLOWANCE[1] <= area.height(), f"{widget.windowTitle()} leaves no room for a title bar"
    assert widget.width() <= area.width()
    hint = widget.minimumSizeHint()
    assert hint.height() + FRAME_ALLOWANCE[1] <= area.height() and hint.width() <= area.width()


def test_the_main_window_with_its_history_fits(window, qtbot) -> None:
    qtbot.waitExposed(window)
    _assert_fits(window, title_bar=False)      # main_window sizes itself to 90% of the screen
    assert window.history_dock.isVisible()
    assert window.rect().contains(window.history_dock.geometry())


@pytest.mark.parametrize("name", sorted(OPENERS))
def test_each_dialog_fits_the_laptop_screen(window, qtbot, name) -> None:
    dialog = OPENERS[name](window)
    if not dialog.testAttribute(Qt.WidgetAttribute.WA_DeleteOnClose):   # the window's own are deleted on close
        qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    _assert_fits(dialog)
    window.runner.wait()                                  # what the dialog computes lands before it closes
    qtbot.wait(50)
    dialog.close()


def test_settings_wrap_their_labels_and_never_scroll_sideways(window, qtbot) -> None:
    dialog = window.show_settings()
    qtbot.waitExposed(dialog)
    scroll = dialog.findChild(QScrollArea)
    assert scroll.horizontalScrollBar().maximum() == 0
    body = scroll.widget()
    for form in body.findChildren(QFormLayout):
        for row in range(form.rowCount()):
            item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            if item is None or not isinstance(item.widget(), QLabel) or not item.widget().text():
                continue
            label = item.widget()
            assert label.width() >= label.sizeHint().width(), f"{label.text()!r} is cut"
            right = label.mapTo(scroll.viewport(), QPoint(label.width(), 0)).x()
            assert right <= scroll.viewport().width(), f"{label.text()!r} is off the right edge"
    # the last setting is reached by scrolling inside the dialog
    last = list(dialog.targets.values())[-1]
    scroll.ensureWidgetVisible(last)
    assert scroll.viewport().rect().contains(last.mapTo(scroll.viewport(), last.rect().center()))
    dialog.close()


def test_help_scrolls_to_its_last_definition(window, qtbot) -> None:
    dialog = window.show_help()
    qtbot.waitExposed(dialog)
    bar = dialog.text.verticalScrollBar()
    assert bar.maximum() > 0                                       # longer than the dialog: it scrolls
    dialog.text.setFocus()
    for _ in range(40):                                            # Page Down, as a reader would
        qtbot.keyClick(dialog.text, Qt.Key.Key_PageDown)
    assert bar.value() == bar.maximum()
    dialog.close()


@pytest.mark.parametrize("name", ["settings", "rules", "mapping"])
def test_every_drop_down_and_number_box_ignores_a_wheel_not_meant_for_it(window, qtbot, name) -> None:
    """A real wheel turn over each drop-down or number box not clicked leaves its value alone."""
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QAbstractSpinBox, QComboBox

    dialog = OPENERS[name](window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    boxes = [w for w in dialog.findChildren(QComboBox) + dialog.findChildren(QAbstractSpinBox) if w.isVisible()]
    assert boxes
    for box in boxes[:12]:
        if not box.visibleRegion().boundingRect().contains(box.rect().center()):
            continue                                   # scrolled out of sight: nothing to turn
        before = box.currentIndex() if isinstance(box, QComboBox) else box.text()
        QTest.wheelEvent(dialog.windowHandle(), box.mapTo(dialog, box.rect().center()), QPoint(0, -120))
        after = box.currentIndex() if isinstance(box, QComboBox) else box.text()
        assert after == before, f"the wheel changed {type(box).__name__} from {before!r} to {after!r}"
    dialog.close()
