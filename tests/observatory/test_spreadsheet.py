"""The observatory's CSV export opens in a real spreadsheet: LibreOffice Calc (Debian's
libreoffice-calc-nogui, `make services`) reads it with French settings — `;` between columns,
UTF-8 — into separate cells, accents intact, counts as numbers, hidden cells as text."""

from __future__ import annotations

import shutil
import subprocess
from datetime import timedelta
from html.parser import HTMLParser

from bot.catalogue.db import session_scope
from bot.observatory import report
from tests.observatory.test_observatory import DAY, day  # noqa: F401 (the fixture)

SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"


class Cells(HTMLParser):
    """The rows of the sheet as LibreOffice writes them in HTML: (text, numeric value)."""

    def __init__(self):
        super().__init__()
        self.rows: list[list[tuple[str, str | None]]] = []
        self._cell: list | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag == "td":
            self._cell = ["", dict(attrs).get("sdval")]

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[0] += data

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None:
            self.rows[-1].append((self._cell[0].strip(), self._cell[1]))
            self._cell = None


def test_the_csv_export_opens_in_a_spreadsheet(day, tmp_path):  # noqa: F811
    with session_scope() as session:
        built = report.build(session, DAY - timedelta(days=6), DAY, DAY)
    table = built.table("recherches")
    # A large count as the page writes it, with its thousands separator.
    table.rows.append(["opérateur de production", "Montbrison", report.Value(1234, False).text(5),
                       "617", "50 %"])
    # A word that a spreadsheet would run as a formula (from a conversation, a trade typed in).
    table.rows.append(['=HYPERLINK("http://evil.example";"clic")', "+1+1", "-2+3", "@SUM(1)",
                       "5"])
    exported = tmp_path / "recherches.csv"
    exported.write_bytes(report.csv_bytes(table))

    # 59 = ';', 34 = '"', 76 = UTF-8, from line 1, French locale (1036): Calc's import dialog
    # as a French user sees it.
    done = subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
         "--infilter=CSV:59,34,76,1,,1036", "--convert-to", "html", "--outdir", str(tmp_path),
         str(exported)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    sheet = Cells()
    sheet.feed((tmp_path / "recherches.html").read_text(encoding="utf-8", errors="replace"))
    rows = [row for row in sheet.rows if row]

    assert [text for text, _ in rows[0]] == table.columns  # one header per cell, accents kept
    by_place = {(row[0][0], row[1][0]): row for row in rows[1:]}
    soudeur = by_place[("soudeur", "Thiers")]
    assert [value for _, value in soudeur[2:4]] == ["6", "0"]  # numbers, not text
    big = by_place[("opérateur de production", "Montbrison")]
    assert [value for _, value in big[2:]] == ["1234", "617", "0.5"]
    usineur = by_place[("usineur", "Arlanc")]
    assert [text for text, _ in usineur[2:]] == ["< 5", "< 5", "< 5"]
    assert all(value is None for _, value in usineur[2:])  # a hidden cell stays text
    [formulas] = [row for row in rows[1:] if "HYPERLINK" in row[0][0]]
    assert [text for text, _ in formulas[:4]] == [  # shown as typed, behind an apostrophe
        '\'=HYPERLINK("http://evil.example";"clic")', "'+1+1", "'-2+3", "'@SUM(1)"]
    assert [value for _, value in formulas[:4]] == [None] * 4  # text, never computed
