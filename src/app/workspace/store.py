"""The SQLite connection: created owner-only, WAL, foreign keys, one transaction per change,
and an exclusive lock so a second window gets ``WorkspaceLocked`` instead of a damaged file.

The lock is SQLite's own ``locking_mode=EXCLUSIVE`` taken by a write at open and held until
close. It works the same on Windows and Linux, needs no side file, and the operating system
drops it when a crashed process dies, so a crash never leaves a workspace locked.
``synchronous=FULL`` makes every committed edit survive a power cut as well as a crash.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app.workspace.errors import WorkspaceError, WorkspaceLocked
from app.workspace.schema import APPLICATION_ID, SCHEMA_VERSION, migrate


def _is_locked_error(error: sqlite3.Error) -> bool:
    text = str(error).lower()
    return "locked" in text or "busy" in text


def _problem(error: sqlite3.DatabaseError) -> str | None:
    """What a SQLite error means for the person, when it is about the file (None: a bug to report)."""
    text = str(error).lower()
    if "full" in text:
        return "the disk is full: free some space and try again (the last change was not saved)"
    if "malformed" in text or "disk i/o error" in text:
        return ("the workspace file is damaged and cannot be read; open a copy made with Save As, "
                "or open the extracts again")
    if "readonly" in text or "read-only" in text:
        return "the workspace file cannot be written (read-only): copy it somewhere you can write and open the copy"
    return None


def _not_ours(app_id: int, version: int, tables: int) -> str:
    """Why a SQLite file is not a workspace this version can open ("" when it is, or is new)."""
    if version == 0 and app_id == 0:
        return "not a Treatment Returns workspace" if tables else ""
    if app_id != APPLICATION_ID:
        return "not a Treatment Returns workspace"
    if version > SCHEMA_VERSION:
        return (f"this workspace was saved by a newer version of Treatment Returns (schema {version}, "
                f"this version reads up to {SCHEMA_VERSION}); please update")
    return ""


class Store:
    """One open workspace file. Use ``transaction()`` for every change."""

    def __init__(self, conn: sqlite3.Connection, path: Path, *, read_only: bool = False) -> None:
        self.conn = conn
        self.path = path
        self.read_only = read_only
        self.lock = threading.RLock()

    @classmethod
    def open_read_only(cls, path: Path) -> Store:
        """Open a workspace only to read it (a CD, a read-only share, a file the user may not change):
        nothing is written, not even the lock or the journal mode; any change is refused."""
        path = Path(path)
        if not path.is_file():
            raise WorkspaceError("no such workspace file", file=str(path))
        if path.stat().st_size == 0:
            raise WorkspaceError("an empty file, not a Treatment Returns workspace", file=str(path))
        wal = path.with_name(path.name + "-wal")
        if wal.is_file() and wal.stat().st_size > 0:  # changes not yet in the file itself: reading needs writing
            raise WorkspaceError("the workspace was not closed properly and cannot be read without writing: copy it "
                                 "somewhere you can write and open it there", file=str(path))
        uri = path.resolve().as_uri() + "?mode=ro&immutable=1"
        conn = sqlite3.connect(uri, uri=True, timeout=0, isolation_level=None, check_same_thread=False)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            problem = _not_ours(app_id, version, tables) or (
                "" if version == SCHEMA_VERSION else "this workspace was saved by an older version and must be "
                "brought up to date, which needs writing: copy it somewhere you can write and open the copy")
            if not problem and conn.execute("PRAGMA quick_check(1)").fetchone()[0] != "ok":
                problem = _problem(sqlite3.DatabaseError("malformed")) or "damaged"
        except sqlite3.DatabaseError as error:
            problem = _problem(error) or f"not a Treatment Returns workspace ({error})"
        if problem:
            conn.close()
            raise WorkspaceError(problem, file=str(path))
        return cls(conn, path, read_only=True)

    @classmethod
    def create(cls, path: Path) -> Store:
        """Create a new, empty workspace file readable only by its owner (0600)."""
        path = Path(path)
        if path.exists():
            raise WorkspaceError("a file with this name already exists; choose another name",
                                 file=str(path))
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
        os.chmod(path, 0o600)
        try:
            return cls._connect(path, new=True)
        except BaseException:
            path.unlink(missing_ok=True)
            raise

    @classmethod
    def open(cls, path: Path) -> Store:
        """Open an existing workspace file, migrating it to the current schema."""
        path = Path(path)
        if not path.is_file():
            raise WorkspaceError("no such workspace file", file=str(path))
        return cls._connect(path)

    @classmethod
    def _connect(cls, path: Path, *, new: bool = False) -> Store:
        if not new and path.stat().st_size == 0:
            raise WorkspaceError("an empty file, not a Treatment Returns workspace", file=str(path))
        conn = sqlite3.connect(path, timeout=0, isolation_level=None, check_same_thread=False)
        try:
            # read what the file is before writing anything to it: another program's file is left as it was
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            problem = _not_ours(app_id, version, tables)
            if problem:
                conn.close()
                raise WorkspaceError(problem, file=str(path))
            conn.execute("PRAGMA locking_mode = EXCLUSIVE")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            # A write now takes the exclusive lock, held until the connection closes.
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("COMMIT")
            if not new and conn.execute("PRAGMA quick_check(1)").fetchone()[0] != "ok":
                raise sqlite3.DatabaseError("database disk image is malformed")
        except sqlite3.OperationalError as error:
            conn.close()
            if _is_locked_error(error):
                raise WorkspaceLocked(
                    "this workspace is open in another window; close it there first",
                    file=str(path)) from None
            raise WorkspaceError(f"cannot open the workspace ({error})", file=str(path)) from None
        except sqlite3.DatabaseError as error:
            conn.close()
            raise WorkspaceError(_problem(error) or f"not a Treatment Returns workspace ({error})",
                                 file=str(path)) from None
        migrate(conn)
        return cls(conn, path)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One change = one transaction: all of it is saved, or none of it.

        A full disk or a damaged file is said in one line naming the file; nothing of the change is kept.
        """
        if self.read_only:
            raise WorkspaceError("the workspace was opened read-only; nothing can be saved in it",
                                 file=str(self.path))
        with self.lock, self.plainly():
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    try:
                        self.conn.execute("ROLLBACK")
                    except sqlite3.Error:
                        pass  # SQLite gave up the transaction itself (disk full): the first error is the one to tell
                raise

    def query(self, sql: str, params: tuple | list = ()) -> list[tuple]:
        with self.lock, self.plainly():
            return self.conn.execute(sql, params).fetchall()

    @contextmanager
    def plainly(self) -> Iterator[None]:
        """SQLite's errors about the file itself as one line a person can act on (``WorkspaceError``)."""
        try:
            yield
        except sqlite3.DatabaseError as error:
            problem = _problem(error)
            if problem is None:
                raise
            raise WorkspaceError(problem, file=str(self.path)) from None

    def get_meta(self, key: str) -> str | None:
        rows = self.query("SELECT value FROM meta WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    def close(self) -> None:
        with self.lock:
            self.conn.close()
