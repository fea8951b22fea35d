"""The app's own preferences (QSettings), each key defined once here with its type and default.

QSettings hands back whatever the file holds (a string where a list was written, a path to a folder
since deleted, text edited by hand): every read goes through one typed definition, so a damaged or
unexpected value falls back to the default instead of breaking a dialog, and no key is spelled twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSettings

#: The folders file dialogs start in, by what is chosen there.
FOLDERS = {"extracts": "files/last_folder", "export": "export/folder", "generate": "generate/folder",
           "profiles": "files/profiles", "catalogues": "files/catalogues"}
RECENT = "files/recent"
STARTED = "app/started"
UNFINISHED = "session/unfinished"
DEMO_FOLDER = "demo/folder"
GEOMETRY, WINDOW_STATE = "window/geometry", "window/state"


def _text(key: str) -> str:
    value = QSettings().value(key, "")
    return value if isinstance(value, str) else ""


def folder(name: str, default: Path | None = None) -> Path:
    """The folder a file dialog for ``name`` starts in: the last one used if it still exists."""
    chosen = Path(_text(FOLDERS[name])) if _text(FOLDERS[name]) else None
    fallback = default if default is not None else Path.home()
    return chosen if chosen is not None and chosen.is_dir() else fallback


def remember_folder(name: str, path: Path) -> None:
    QSettings().setValue(FOLDERS[name], str(path))


def recent() -> list[str]:
    """Recently opened entries, newest first (a workspace, or extracts' paths joined by newlines)."""
    value = QSettings().value(RECENT, [])
    items = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    return [str(v) for v in items if isinstance(v, str) and v]


def set_recent(entries: list[str]) -> None:
    settings = QSettings()
    settings.setValue(RECENT, list(entries))
    settings.sync()  # on disk now: File > Open recent after a crash still lists it


def started() -> bool:
    """Whether the app has started before (the very first start opens the demo)."""
    value = QSettings().value(STARTED, False)
    return value is True or (isinstance(value, str) and value.lower() == "true")


def set_started() -> None:
    QSettings().setValue(STARTED, True)


def unfinished() -> Path | None:
    """The workspace left open when the app last stopped without closing, if it still exists."""
    text = _text(UNFINISHED)
    return Path(text) if text and Path(text).is_file() else None


def set_unfinished(path: Path | None) -> None:
    """Note (or forget) the workspace open now; on disk at once, so a crash cannot take the note with it."""
    settings = QSettings()
    if path is None:
        settings.remove(UNFINISHED)
    else:
        settings.setValue(UNFINISHED, str(path))
    settings.sync()


def demo_folder(default: Path) -> Path:
    text = _text(DEMO_FOLDER)
    return Path(text) if text else default


@dataclass(frozen=True)
class WindowState:
    """The main window's geometry and dock layout, as Qt saved them (None: not saved yet)."""

    geometry: object | None
    state: object | None


def window_state() -> WindowState:
    settings = QSettings()
    return WindowState(settings.value(GEOMETRY), settings.value(WINDOW_STATE))


def set_window_state(geometry: object, state: object) -> None:
    settings = QSettings()
    settings.setValue(GEOMETRY, geometry)
    settings.setValue(WINDOW_STATE, state)
