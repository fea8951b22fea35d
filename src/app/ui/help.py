"""Help: getting started in a few steps, the keys, and the definition of every count and measure."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QDialog, QTextBrowser, QVBoxLayout

from app.ui.fitting import fit

GETTING_STARTED = """
<h2>Getting started</h2>
<ol>
<li><b>Open</b> your providers' extracts (File &gt; Open extracts, or drag the files onto the window).
Several files are several providers of one partnership. If a header was not recognised for certain,
you are asked to confirm the mapping; save it as a profile to reuse next quarter.</li>
<li><b>Look at the findings</b> (the panel at the bottom). Click a facet (a rule, a provider, a field)
to see only those rows; double-click a finding to go to its cell. Red cells are errors, amber
warnings; hover over a cell for the message.</li>
<li><b>Fix</b> a cell by typing (dates as dd/mm/yyyy; codes from the drop-down). The finding goes at
once. Every change can be undone (Ctrl+Z) and is listed under History.</li>
<li><b>Accept</b> a finding that is right as it is (a late triage that really was late) with a reason
(one is needed: it goes to the audit trail). Withdraw acceptance (the button, or right-click the
finding), or Ctrl+Z, takes it back; both are in History and the audit trail. A final
return needs every error fixed or accepted; a draft can always be made.</li>
<li><b>Check performance</b> (Tools &gt; Performance dashboard): pick a period; click a figure to see
the records behind it.</li>
<li><b>Generate</b> the national return and the committee report (Tools &gt; Generate returns).</li>
<li><b>Nothing to save.</b> Opening extracts makes the partnership's workspace (in your data folder)
and every change, acceptance and setting is saved in it the moment you make it. Close the app when
you like: File &gt; Open recent brings the workspace back, with its undo history. If the app ever
stops without closing, it offers your work back at the next start. File &gt; Save workspace as
copies the workspace where you choose (a shared drive, say) and carries on there.</li>
</ol>
<h3>Keys</h3>
<table cellpadding="3">
<tr><td>F3 / Shift+F3</td><td>next / previous finding</td></tr>
<tr><td>Delete</td><td>clear the selected cells</td></tr>
<tr><td>Ctrl+D</td><td>fill down from the top selected cell</td></tr>
<tr><td>Ctrl+Enter</td><td>put the value in every selected cell</td></tr>
<tr><td>Ctrl+V</td><td>paste a block copied from Excel</td></tr>
<tr><td>Ctrl+H</td><td>replace a value in the selected or shown rows</td></tr>
<tr><td>Ctrl+Z / Ctrl+Y</td><td>undo / redo (also after closing and reopening)</td></tr>
<tr><td>Ctrl+S</td><td>nothing to do: every change is already saved</td></tr>
</table>
<p>The partnership's name, the day thresholds (one number for a rule and its measure) and the
targets are under Tools &gt; Partnership settings; rules can be switched off or made warnings under
Tools &gt; Rules.</p>
<p>The codes (TCDF, SPRX, HER...) are this product's own readable codes, modelled on the national
data set's names; they are not the official national codes.</p>
"""


def definitions_html() -> str:
    """Every count and measure with its unit and definition (``rules.measures.DEFINITIONS``)."""
    try:
        from rules.measures import DEFINITIONS
    except ImportError:
        return ""
    rows = "".join(f"<tr><td><b>{html.escape(d.title)}</b><br><code>{html.escape(mid)}</code></td>"
                   f"<td>{html.escape(d.unit)}</td><td>{html.escape(d.definition)}</td></tr>"
                   for mid, d in DEFINITIONS.items())
    return ("<h2>What each figure means</h2><table border='1' cellspacing='0' cellpadding='4'>"
            f"<tr><th>Figure</th><th>Unit</th><th>Definition</th></tr>{rows}</table>")


class HelpDialog(QDialog):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Treatment Returns help")
        fit(self, 820, 640)
        self.text = QTextBrowser()
        self.text.setOpenExternalLinks(False)
        self.text.setHtml(GETTING_STARTED + definitions_html())
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)

    @classmethod
    def for_screenshot(cls, window) -> HelpDialog:
        return cls(window)
