"""Charts drawn on the server as inline SVG: no JavaScript, no library, no inline style (the
page's CSP); colours come from classes in static/observatoire.css. Hidden cells are not drawn."""

from __future__ import annotations

import math
from html import escape
from typing import Any

from markupsafe import Markup

from bot.observatory.report import CHANNEL_LABELS, Report


def _svg(width: int, height: int, title: str, body: list[str], css: str) -> Markup:
    return Markup(
        f'<svg class="chart {css}" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>")


def _text(x: float, y: float, text: str, css: str = "", anchor: str = "start") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" class="{css}" text-anchor="{anchor}">'
            f"{escape(text)}</text>")


def trades_chart(report: Report, top: int = 12) -> Markup:
    """Horizontal bars: people looking for a trade, offers open in that trade."""
    rows = sorted(report.trades, key=lambda r: (-(r[1] or 0), r[0]))[:top]
    label_w, bar_w, row_h = 190, 400, 36
    width, height = label_w + bar_w + 60, 40 + row_h * max(1, len(rows))
    peak = max([r[1] or 0 for r in rows] + [r[2] for r in rows] + [1])
    body = [
        f'<rect x="{label_w}" y="6" width="12" height="12" class="asked"/>',
        _text(label_w + 18, 17, "personnes qui cherchent", "legend"),
        f'<rect x="{label_w + 200}" y="6" width="12" height="12" class="offers"/>',
        _text(label_w + 218, 17, "offres ouvertes", "legend"),
    ]
    if not rows:
        body.append(_text(label_w, 48, "Aucune recherche sur la période.", "empty"))
    for i, (name, asked, offers) in enumerate(rows):
        y = 32 + i * row_h
        body.append(_text(label_w - 8, y + 18, name[:28], "label", "end"))
        if asked is None:
            body.append(_text(label_w + 4, y + 12, f"< {report.k}", "hidden-value"))
        else:
            w = bar_w * asked / peak
            body.append(f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="12" '
                        f'class="asked"><title>{escape(name)} : {asked} personnes</title></rect>')
            body.append(_text(label_w + w + 4, y + 13, str(asked), "value"))
        w = bar_w * offers / peak
        body.append(f'<rect x="{label_w}" y="{y + 17}" width="{w:.1f}" height="12" '
                    f'class="offers"><title>{escape(name)} : {offers} offres</title></rect>')
        body.append(_text(label_w + w + 4, y + 27, str(offers), "value"))
    return _svg(width, height, "Métiers demandés et offres disponibles", body, "trades")


def demand_map(report: Report, communes: tuple[dict[str, Any], ...]) -> Markup:
    """Every commune of the territory as a dot; a circle by demand (hidden cells not drawn)."""
    points = [c for c in communes if c.get("latitude") is not None]
    width, pad = 560, 24
    if not points:
        return _svg(width, 60, "Carte de la demande", [_text(pad, 30, "Pas de communes.")],
                    "map")
    lats = [c["latitude"] for c in points]
    lons = [c["longitude"] for c in points]
    squeeze = math.cos(math.radians(sum(lats) / len(lats)))
    span_x = (max(lons) - min(lons)) * squeeze or 1
    span_y = (max(lats) - min(lats)) or 1
    scale = (width - 2 * pad) / span_x
    height = int(span_y * scale + 2 * pad)

    def xy(lat: float, lon: float) -> tuple[float, float]:
        return pad + (lon - min(lons)) * squeeze * scale, pad + (max(lats) - lat) * scale

    body = []
    for commune in points:
        x, y = xy(commune["latitude"], commune["longitude"])
        body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="1.6" class="commune"/>')
    peak = max([c["people"] for c in report.communes] + [1])
    ordered = sorted(report.communes, key=lambda c: -c["people"])
    for commune in ordered:
        x, y = xy(commune["lat"], commune["lon"])
        r = 5 + 20 * math.sqrt(commune["people"] / peak)
        unmet = "" if commune["none"] is None else f", {commune['none']} non satisfaites"
        css = "demand unmet" if commune["none"] and commune["none"] * 2 >= commune["people"] \
            else "demand"
        body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" class="{css}"><title>'
                    f'{escape(commune["name"])} : {commune["people"]} personnes{escape(unmet)}'
                    f"</title></circle>")
    for commune in ordered[:8]:
        x, y = xy(commune["lat"], commune["lon"])
        r = 5 + 20 * math.sqrt(commune["people"] / peak)
        body.append(_text(x, y - r - 3, f'{commune["name"]} ({commune["people"]})', "place",
                          "middle"))
    if not ordered:
        body.append(_text(pad, height - 8, "Aucune commune à afficher (ou toutes < "
                          f"{report.k} personnes).", "empty"))
    return _svg(width, height, "Carte de la demande par commune", body, "map")


def trend_chart(report: Report) -> Markup:
    """Stacked bars: conversations per ISO week, by channel (hidden cells not stacked)."""
    weeks = report.weeks
    channels = list(report.trend)
    left, bottom, top, width, height = 48, 46, 44, 640, 260
    plot_w, plot_h = width - left - 10, height - top - bottom
    totals = [sum(report.trend[c].get(w) or 0 for c in channels) for w in weeks]
    peak = max(totals + [1])
    step = plot_w / max(1, len(weeks))
    bar = min(48.0, step * 0.7)
    body = [f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
            f'class="axis"/>',
            _text(left - 6, top + 4, str(peak), "value", "end"),
            _text(left - 6, top + plot_h, "0", "value", "end")]
    x = left
    for channel in channels:
        name = CHANNEL_LABELS.get(channel, channel)
        body.append(f'<rect x="{x}" y="6" width="12" height="12" class="ch-{escape(channel)}"/>')
        body.append(_text(x + 16, 17, name, "legend"))
        x += 16 + 6.5 * len(name) + 18
    for i, week in enumerate(weeks):
        x = left + i * step + (step - bar) / 2
        y = top + plot_h
        for channel in channels:
            n = report.trend[channel].get(week)
            if not n:
                continue
            h = plot_h * n / peak
            y -= h
            body.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                        f'class="ch-{escape(channel)}"><title>{escape(week)}, '
                        f'{escape(CHANNEL_LABELS.get(channel, channel))} : {n}</title></rect>')
        hidden = any(report.trend[c].get(week) is None for c in channels)
        label = f"{totals[i]}" + (" +" if hidden else "")
        if totals[i] or hidden:
            body.append(_text(x + bar / 2, y - 4, label, "value", "middle"))
        if len(weeks) <= 16 or i % 2 == 0:
            body.append(_text(x + bar / 2, top + plot_h + 16, week[5:], "label", "middle"))
    body.append(_text(left, height - 6, "« + » : au moins une case de moins de "
                      f"{report.k} personnes n'est pas dessinée.", "legend"))
    return _svg(width, height, "Conversations par semaine et par canal", body, "trend")
