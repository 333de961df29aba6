"""`python -m bot stats`: the observatory's tables in the terminal, or as CSV files."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from bot.observatory.report import Report, Table


def _width(text: str) -> int:
    return len(text)


def render_table(table: Table, max_rows: int = 25) -> str:
    rows = table.rows[:max_rows]
    widths = [max([_width(c)] + [_width(r[i]) for r in rows]) for i, c in
              enumerate(table.columns)]
    widths = [min(w, 40) for w in widths]

    def line(cells: list[str]) -> str:
        out = []
        for i, cell in enumerate(cells):
            cell = cell if len(cell) <= widths[i] else cell[:widths[i] - 1] + "…"
            out.append(cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]))
        return "  " + " | ".join(out)

    lines = [table.title, line(table.columns),
             "  " + "-+-".join("-" * w for w in widths)]
    lines += [line(r) for r in rows] or ["  (rien sur la période)"]
    if len(table.rows) > max_rows:
        lines.append(f"  … et {len(table.rows) - max_rows} lignes de plus (--csv pour tout)")
    if table.note:
        lines.append(f"  {table.note}")
    return "\n".join(lines)


def render(report: Report) -> str:
    parts = [
        f"Observatoire d'Indy — du {report.first:%d/%m/%Y} au {report.last:%d/%m/%Y} "
        f"({report.days_computed} jours calculés). Une case de moins de {report.k} personnes "
        f"s'affiche « < {report.k} ».",
        "En bref\n" + "\n".join(f"  {label} : {value}" for label, value in report.headline),
    ]
    parts += [render_table(t) for t in report.tables]
    return "\n\n".join(parts) + "\n"


def write_csv(report: Report, folder: Path) -> list[Path]:
    from bot.observatory.report import csv_bytes

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for table in report.tables:
        path = folder / f"indy-{table.id}-{report.first.isoformat()}-{report.last.isoformat()}.csv"
        path.write_bytes(csv_bytes(table))
        written.append(path)
    return written


def stats(days: int, until: date | None = None, csv_folder: Path | None = None) -> str:
    """Computes what is missing or not final in the period, then renders it."""
    from bot.catalogue.db import migrate, session_scope
    from bot.observatory.compute import refresh, today_local
    from bot.observatory.report import build

    migrate()
    last = until or today_local()
    with session_scope() as session:
        refresh(session, days=days, today=last, full=True)
    with session_scope() as session:
        report = build(session, last - timedelta(days=days - 1), last, last)
    text = render(report)
    if csv_folder is not None:
        paths = write_csv(report, csv_folder)
        text += f"\n{len(paths)} fichiers CSV écrits dans {csv_folder}\n"
    return text
