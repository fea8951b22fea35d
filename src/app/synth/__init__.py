"""The synthetic partnership generator: the source of all test and demo data (no real people).

``generate`` builds a fictional partnership of providers ``N9001``, ``N9002``... with realistic
volumes and rates; ``write`` puts it on disk as the providers would send it, with ``manifest.json``
listing every defect injected on purpose. Same arguments, same bytes.

Decisions where the spec is silent:
- ``raw`` holds canonical values (ISO dates, codes, no stray spaces) with ``_file``/``_sheet``/``_row``
  as written; the messy styles exist only on disk, so ``schema.check(raw)`` equals what the reader
  types from the files.
- Flat form: the first modality becomes ``M1`` (no first-appointment date); TOPs are ``T1`` start,
  ``T2`` review (the latest one), ``T3`` exit, positional like the reader's split; post-exit TOPs and
  TOP scores do not survive. The flat workbook also has the ``about`` sheet (as_at).
- Dates before March 1900 are written as text even in "Excel date" styles (Excel has none).
- ``--defects RATE`` gives round(RATE x all rows) defects, round-robin over the rules; a rule whose
  candidates run out stops. Warnings injected: adult-at-referral, substances-consistent,
  care-plan-within-episode, top-within-episode, completion-consistent-with-top, triage-recorded,
  no-overlapping-open-episodes (a returning client's earlier episode reopened; both rows listed).
  Defects change values only: the episode count is always the one asked for.
- The flat form cannot hold orphans, TOP scores, ids or several TOPs of one stage, so those defects
  are not made there; nor schema defects in flat TOP cells (the split TOPs share one ``_row``).
- Styles with defects, provider by provider in turn: ``national`` (AGNCY, REFLD... headers, Excel
  dates), ``friendly`` (two title rows, "Date of Referral" headers, dd/mm/yyyy text, labels for
  discharge reason and sex, stray spaces, CSV with BOM), ``upper`` (one title row, "REFERRAL DATE",
  dd-Mon-yyyy text, stray spaces), ``plain``.
"""

from app.synth.generate import generate
from app.synth.manifest import read_manifest
from app.synth.model import FORMATS, Defect, Synthetic
from app.synth.writer import write

__all__ = ["FORMATS", "Defect", "Synthetic", "generate", "read_manifest", "write"]
