"""The application pages' charts (bars per region or unit, a region's daily trend), on a dark panel;
the meeting room's stage draws the same trend."""

from __future__ import annotations

from dashboard.figures.show import plot_text
from dashboard.figures.specs import AppSpec, Measure
from dashboard.figures.view import View
from dashboard.text import formatting

BAR_MOST = 25
TEXT = "#f3f6fb"
SERIES_COLORS = ("#60a5fa", "#34d399", "#fbbf24", "#f0524a", "#a78bfa", "#f472b6")


def _axis_layout(lang: str, horizontal: bool = False) -> dict:
    return {
        "margin": {"l": 8, "r": 16, "t": 8, "b": 8}, "paper_bgcolor": "rgba(0,0,0,0)", "plot_bgcolor": "rgba(0,0,0,0)",
        "font": {"color": TEXT, "size": 12}, "separators": ",." if lang != "en" else ".,", "showlegend": not horizontal,
        "legend": {"orientation": "h", "y": -0.15}, "dragmode": False,
        "xaxis": {"gridcolor": "#1d2a40", "automargin": True, "fixedrange": True},
        "yaxis": {"gridcolor": "#1d2a40", "automargin": True, "fixedrange": True},
    }


def bar_figure(items: list[tuple[str, str, float | None]], measure: Measure | None, lang: str) -> dict:
    """Horizontal bars (biggest on top); each bar's id in customdata, for the drill-down click."""
    if measure is None:
        return {"data": [], "layout": _axis_layout(lang, True)}
    shown = sorted((i for i in items if i[2] is not None), key=lambda i: i[2], reverse=True)[:BAR_MOST]
    shown.reverse()
    texts = [formatting.value(v, measure.kind, lang) for _, _, v in shown]
    layout = _axis_layout(lang, True)
    layout["xaxis"]["visible"] = False
    layout["hovermode"] = "closest"
    return {"data": [{"type": "bar", "orientation": "h", "x": [v for _, _, v in shown],
                      "y": [plot_text(label) for _, label, _ in shown], "customdata": [key for key, _, _ in shown],
                      "text": texts, "textposition": "auto", "hoverinfo": "y+text",
                      "marker": {"color": "#60a5fa"}, "name": measure.name(lang)}],
            "layout": layout}


def trend_figure(spec: AppSpec, view: View, series: dict[str, dict]) -> dict:
    """One line per figure of the region's daily series, within the time range."""
    lang = view.lang
    layout = _axis_layout(lang)
    layout["xaxis"].update(type="date", tickformat="%d/%m", hoverformat="%-d %b %Y")  # "4 Des 2026" (locale id)
    layout["yaxis"]["tickformat"] = ",~f"  # 60.000, not Plotly's SI '60k' (separators give the Indonesian marks)
    layout["hovermode"] = "x unified"
    data = []
    chosen = spec.trend_names(list(series))
    kinds = {kind for _, _, kind in chosen}
    for i, (name, label, kind) in enumerate(chosen):
        days = sorted(d for d in series[name]
                      if (not view.start or d >= view.start) and (not view.end or d <= view.end))
        # Two kinds on one chart (percent and a count): the count goes on its own axis.
        second = len(kinds) > 1 and kind != chosen[0][2]
        data.append({"type": "scatter", "mode": "lines+markers", "x": days, "y": [series[name][d] for d in days],
                     "name": plot_text(label(lang)), "yaxis": "y2" if second else "y",
                     "line": {"color": SERIES_COLORS[i % len(SERIES_COLORS)], "width": 2}, "marker": {"size": 4}})
    if len(kinds) > 1:
        layout["yaxis2"] = {"overlaying": "y", "side": "right", "showgrid": False, "fixedrange": True,
                            "automargin": True, "tickformat": ",~f"}
    return {"data": data, "layout": layout}
