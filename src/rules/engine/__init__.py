"""The rule engine: evaluate a catalogue over the typed tables, and re-check only what an edit touched.

One ``Report`` feeds everything (records view, findings panel, CLI, HTML/XLSX/JSON). Conventions
(docs/TEAM-NOTES.md): each rule reports on a fixed table's row; at most one finding per
(rule, table, row) - several failed checks of one rule on one row become one finding naming every
field; a cell the schema flagged never appears in a catalogue finding's fields; a rule whose table
is missing is *not run*, never passed.

Modules: ``run`` (evaluate), ``partial`` (Rechecker, recheck), ``report`` (Report, a value; Changes), ``order``
(reading order and merging), ``keyindex`` (record and client look-ups for re-checks).
"""

from rules.engine.keyindex import KEY_COLUMNS, KeyIndex
from rules.engine.order import sort_findings
from rules.engine.partial import Rechecker, recheck, touched_labels
from rules.engine.report import Changes, Report
from rules.engine.run import CELL_RULES, evaluate, flagged_cells, render
from rules.findings import FINDING_COLUMNS

__all__ = ["CELL_RULES", "Changes", "FINDING_COLUMNS", "KEY_COLUMNS", "KeyIndex", "Rechecker", "Report", "evaluate",
           "flagged_cells", "recheck", "render", "sort_findings", "touched_labels"]
