"""Opening things in the main window: extracts (menu, drag and drop, recent files), a mapping
profile, a workspace, the demo partnership; and saving as a workspace. After an open the window
shows the as-at date proposed for the extracts and where it came from; it can be changed there.

``Opener`` is owned by the window (``window.opener``) and asks it only for what ``Host`` declares;
reading and validating run in the worker, the window changes only when they are done.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from PySide6.QtCore import QMimeData, Qt, QTimer
from PySide6.QtWidgets import QFileDialog, QMenu, QStatusBar, QWidget

from app.errors import InputError
from app.session import RulesValidator, Session
from app.ui import prefs
from app.ui.prepared import Ready
from app.workspace import SUFFIX as WORKSPACE_SUFFIX

if TYPE_CHECKING:
    from PySide6.QtGui import QUndoStack

    from app.ui.as_at_field import AsAtField
    from app.ui.mapping_dialog import MappingDialog
    from app.ui.worker import JobRunner

MAX_RECENT = 8
EXTRACT_FILTER = "Extracts (*.xlsx *.xlsm *.csv);;Workspaces (*.trworkspace);;All files (*)"
WORKSPACE_FILTER = "Workspaces (*.trworkspace)"


@runtime_checkable
class Host(Protocol):
    """What opening needs of the window it serves (``MainWindow`` is one): the open session and the
    way to show another, the job runner, its status bar and as-at field, and itself as the parent
    of the file dialogs (``window()``, as every top-level ``QWidget`` answers)."""

    session: Session
    runner: JobRunner
    undo_stack: QUndoStack

    def set_session(self, session: Session, *, prepared: dict | None = None) -> None: ...
    def show_workspace(self) -> None: ...
    def show_counts(self) -> None: ...
    def show_error(self, exc: BaseException) -> None: ...
    def set_busy(self, busy: bool) -> None: ...
    def statusBar(self) -> QStatusBar: ...  # noqa: N802 - Qt's name
    def as_at_field(self) -> AsAtField: ...
    def window(self) -> QWidget: ...


class Opener:
    """File > Open..., Open recent, Save as workspace, drag and drop, for one window."""

    def __init__(self, host: Host, make_session: Callable[[], Session] = Session) -> None:
        self.host = host
        self.make_session = make_session
        self.recent_menu = QMenu("Open &recent", host.window())
        self.mapping_dialog: MappingDialog | None = None  # the mapping dialog shown last (tests and screenshots reach it)

    def choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self.host.window(), "Open extracts", str(prefs.folder("extracts")),
                                                EXTRACT_FILTER)
        if paths:
            self.open_files([Path(p) for p in paths])

    def open_files(self, paths: Sequence[Path], *, profile=None) -> None:
        """Read and validate extracts in the worker; the window shows them when done.

        Without a profile, headers import had to guess (or required columns it could not find)
        are shown in the mapping dialog before the data; the files are read once unless the
        person changes the mapping there.
        """
        host = self.host
        paths = [Path(p) for p in paths]
        session = self.make_session()
        if host.session.path is not None and isinstance(host.session.validator, RulesValidator):
            # the partnership's name, thresholds and rules carry on into the next workspace
            session.settings = host.session.settings
            session.validator = RulesValidator(session.settings, host.session.catalogue)
        current = host.session.path
        if current is not None and len(paths) == 1 and paths[0].resolve() == current.resolve():
            host.session.close()  # opening the same workspace again: it reads what was saved

        def job(progress):
            if len(paths) == 1 and paths[0].suffix == WORKSPACE_SUFFIX:
                session.open_workspace(paths[0], progress=progress)
                return ready(session)
            try:
                opened = session.open_files(paths, progress=progress, profile=profile)
            except InputError:
                if profile is not None:
                    raise
                from app.extracts import read_extract

                mappings = [m for p in paths for m in read_extract(p, progress=progress).mappings]
                if not any(m.missing_required for m in mappings):
                    raise
                return proposals(mappings, paths), None      # a required column to map by hand
            if profile is None and any(m.guessed for m in opened.mappings):
                return proposals(opened.mappings, paths), session  # opened with guesses: confirm them
            return ready(session)

        def done(result) -> None:
            if isinstance(result, Session | Ready):
                if isinstance(result, Ready):
                    host.set_session(result.session, prepared=result.prepared)
                else:
                    host.set_session(result)
                opened_path = host.session.path
                self.remember([opened_path] if opened_path is not None else paths)
                host.as_at_field().show_session()
                if opened_path is None:
                    return
                name = opened_path.name
                if paths[0].suffix == WORKSPACE_SUFFIX:
                    steps = host.undo_stack.index()
                    host.statusBar().showMessage(f"Reopened {name}" + (
                        f": {steps:,} step{'s' if steps != 1 else ''} can be undone" if steps else ""))
                else:
                    host.statusBar().showMessage(f"Opened into {name} as at {as_at_words(host.session)}: "
                                                 "change it at the bottom right")
                QTimer.singleShot(8000, host.window(), host.show_counts)  # then the open findings again
                return
            from app.ui.mapping_dialog import MappingDialog
            from app.ui.profiles_store import remember, saved_profiles

            found, opened = result
            current = host.session  # profiles are kept with the partnership open now
            dialog = MappingDialog(found, host.window(),
                                   saved=saved_profiles(current if current.path is not None else None))
            proposed = dialog.profile().headers
            dialog.offer_saved()  # a profile confirmed before, preselected when it knows these headers

            def confirmed(chosen) -> None:
                try:
                    remember(chosen, current if current is host.session and current.path is not None else None)
                except Exception as exc:  # the files still open; the person hears why it was not kept
                    host.show_error(exc)
                same = {h: chosen.headers.get(h) for h in proposed} == proposed and not chosen.codes
                if opened is not None and same:  # the guesses were right
                    done(opened)
                else:
                    discard(opened)  # read with guesses the person changed: that workspace is not wanted
                    self.open_files(paths, profile=chosen)

            dialog.confirmed.connect(confirmed)
            dialog.rejected.connect(lambda: discard(opened))
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # its closures hold the opened session
            dialog.open()
            self.mapping_dialog = dialog

        host.runner.run("Opening extracts", job, done, host.show_error,
                        on_cancel=lambda: host.statusBar().showMessage("Opening cancelled"))

    def choose_workspace(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.host.window(), "Open workspace", str(prefs.folder("extracts")),
                                              WORKSPACE_FILTER)
        if path:
            self.open_files([Path(path)])

    def save_workspace(self, path: Path | None = None) -> None:
        """Save As: copy the open workspace where the person wants it and carry on there."""
        host = self.host
        session = host.session
        if session.path is None:
            return
        if path is None:
            default = prefs.folder("extracts") / session.path.name
            chosen, _ = QFileDialog.getSaveFileName(host.window(), "Save workspace as", str(default), WORKSPACE_FILTER,
                                                    options=QFileDialog.Option.DontConfirmOverwrite)
            if not chosen:
                return
            path = Path(chosen).with_suffix(WORKSPACE_SUFFIX)
        path = Path(path)
        if path.exists() and path.resolve() != session.path.resolve():
            host.show_error(InputError("a file with this name already exists; choose another name", file=str(path)))
            return
        path.parent.mkdir(parents=True, exist_ok=True)

        def done(_result) -> None:
            self.remember([path])
            prefs.set_unfinished(session.path)  # the workspace open until the window closes properly
            host.show_workspace()
            host.statusBar().showMessage(f"Saved as {path.name}: every change from now on is saved there as you make it")

        host.runner.run("Saving the workspace", lambda progress: session.save_as(path), done, host.show_error,
                        lock=host.set_busy)

    def open_with_profile(self) -> None:
        """Open extracts with a saved mapping profile (a provider's headers and codes, from last quarter)."""
        from app.extracts import MappingProfile

        parent = self.host.window()
        chosen, _ = QFileDialog.getOpenFileName(parent, "Mapping profile", str(prefs.folder("profiles")),
                                                "Mapping profiles (*.json)")
        if not chosen:
            return
        paths, _ = QFileDialog.getOpenFileNames(parent, "Open extracts", str(prefs.folder("extracts")), EXTRACT_FILTER)
        if paths:
            try:
                profile = MappingProfile.load(Path(chosen))
            except InputError as exc:
                self.host.show_error(exc)
                return
            self.open_files([Path(p) for p in paths], profile=profile)

    def open_demo(self) -> None:
        from app.session import demo_files

        folder = prefs.demo_folder(cache_dir() / "demo")
        self.host.runner.run("Preparing the demo partnership", lambda p: demo_files(folder, progress=p),
                             lambda paths: self.open_files(paths), self.host.show_error)

    def remember(self, paths: list[Path]) -> None:
        """Put these files first in File > Open recent (and their folder first in the file dialogs)."""
        key = "\n".join(str(p) for p in paths)
        prefs.remember_folder("extracts", paths[0].parent)
        prefs.set_recent([key, *[r for r in recent_entries() if r != key]][:MAX_RECENT])
        self.fill_recent()

    def fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = recent_entries()
        for entry in recent:
            paths = [Path(p) for p in entry.split("\n")]
            action = self.recent_menu.addAction(", ".join(p.name for p in paths))
            action.triggered.connect(lambda checked=False, ps=paths: self.open_files(ps))
        self.recent_menu.setEnabled(bool(recent))

    @staticmethod
    def can_open(mime: QMimeData) -> bool:
        """Whether files dragged over the window may be dropped there."""
        return mime.hasUrls()

    def open_dropped(self, mime: QMimeData) -> bool:
        """Open the local files dropped on the window; False when there were none."""
        paths = [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]
        if paths:
            self.open_files(paths)
        return bool(paths)


def as_at_words(session: Session) -> str:
    """``17/06/2025 (the latest date in the data)``: the as-at date and where it came from."""
    from app.session.as_at import AsAt

    return AsAt(session.raw.as_at or dt.date.today(), session.as_at_basis or "chosen").describe()


def discard(session: Session | None) -> None:
    """Delete the workspace of extracts opened and then not taken (nothing was done in it)."""
    if session is not None:
        session.discard()


def last_changed(path: Path) -> dt.datetime | None:
    """When a workspace file was last written (its write-ahead log included), read without opening it
    (another window may hold it), in local time."""
    times = [p.stat().st_mtime for p in (path, path.with_name(path.name + "-wal")) if p.is_file()]
    return dt.datetime.fromtimestamp(max(times)) if times else None


def ready(session: Session) -> Ready:
    """The opened session with its views' arrays computed here, in the worker (not the GUI thread)."""
    from app.ui.prepared import prepare_all

    return Ready(session, prepare_all(session))


def recent_entries() -> list[str]:
    """Recently opened sets of files, newest first (one entry = paths joined by newlines)."""
    return prefs.recent()


def proposals(mappings: list, paths: list[Path]) -> list:
    """(mapping, sample values) for each sheet a person should look at (guesses, missing or unknown columns)."""
    from app.ui.mapping_dialog import header_samples

    def source(mapping) -> Path:
        for p in paths:
            if p.name == mapping.file or (p.is_dir() and (p / Path(mapping.file).name).exists()):
                return p
        return paths[0]

    return [(m, header_samples(source(m), m)) for m in mappings
            if m.needs_confirmation or m.unmapped]


def cache_dir() -> Path:
    """Where the demo partnership is generated (the user's cache folder)."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("treatment-returns", appauthor=False))
