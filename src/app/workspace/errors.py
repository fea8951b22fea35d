"""The workspace's own errors: bad workspace files are bad input, so they are ``InputError``s."""

from __future__ import annotations

from app.errors import InputError


class WorkspaceError(InputError):
    """A workspace file cannot be used (not a workspace, damaged, made by a newer version)."""


class WorkspaceLocked(WorkspaceError):
    """The workspace is open in another window (another process holds its lock)."""
