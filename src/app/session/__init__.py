"""The open document the app works on: RAW working tables, typed tables and findings, kept in step.

Qt-free so the whole daily loop (open, fix a cell, see the finding go, undo, accept) is testable
without a display. The UI holds one ``Session`` and only ever changes data through it; every
change comes back as an ``EditResult`` naming the rows touched and the findings that came or went,
so the views repaint just those. The document always lives in a SQLite workspace: the one made
when extracts are opened, or for tables handed to ``Session.load`` a throw-away one (``scratch``).

``Session`` (``state``) is the one face; it owns its parts, each with one job and handed what it
needs: ``Checker`` (``checking``: typed tables, findings, counts, acceptances marked), ``Editor``
(``editing``: edits, bulk edits, acceptances and undo/redo as steps), ``WorkspaceLink``
(``workspace_io``: open, save as, close, history, exports, steps committed and read back) and
``Returns`` (``returns_io``: measures, generate). Values: ``model`` (and the ``Validator``
protocol), ``typed_input``, ``frames``; ``validator`` (the real one), ``extract_import`` (opened
extracts into a workspace), ``as_at``, ``demo``.
"""

from __future__ import annotations

from app.session.demo import DEMO, demo_files
from app.session.model import FINDING_KEY, SEVERITY_RANK, CellChange, EditResult, Validator, finding_keys
from app.session.state import Session
from app.session.typed_input import convert_input
from app.session.validator import RulesValidator

__all__ = ["DEMO", "FINDING_KEY", "SEVERITY_RANK", "CellChange", "EditResult", "RulesValidator", "Session",
           "Validator", "convert_input", "demo_files", "finding_keys"]
