"""The open document the app works on: RAW working tables, typed tables and findings, kept in step.

Qt-free so the whole daily loop (open, fix a cell, see the finding go, undo, accept) is testable
without a display. The UI holds one ``Session`` and only ever changes data through it; every
change comes back as an ``EditResult`` naming the rows touched and the findings that came or went,
so the views repaint just those. Persistence (the SQLite workspace) is optional: with none, edits
and acceptances live in memory until the user saves.

Parts: ``model`` (values handed out), ``typed_input`` (typed text -> RAW), ``validator``,
``checking`` (findings kept in step), ``editing``, ``workspace_io``, ``returns_io``, ``demo``;
``state`` composes them into ``Session``.
"""

from __future__ import annotations

from app.session.demo import DEMO, demo_files
from app.session.model import FINDING_KEY, SEVERITY_RANK, CellChange, EditResult, Validator, finding_keys
from app.session.state import Session
from app.session.typed_input import convert_input
from app.session.validator import RulesValidator

__all__ = ["DEMO", "FINDING_KEY", "SEVERITY_RANK", "CellChange", "EditResult", "RulesValidator", "Session",
           "Validator", "convert_input", "demo_files", "finding_keys"]
