"""The analysts' page `/analyst`: one application's measure compared across regions over a range of WIB days.

Over 450 lines: the page's layout, its one comparison callback and the exports share the view's parsing.

    /analyst?app=e-yankes&ukuran=keterisian_pct&wilayah=3671,3673&dari=2026-11-22&sampai=2026-11-28
            &grafik=batang&lang=en

The URL is the whole view (application, measure, regions, range, chart kind, language), so a view
is shared by sending its address. The page is built once per load; the controls drive one callback
(`compare_regions`) that reads one field of each chosen region's daily series in one pipelined round
trip (dashboard/analyst/analysis.py) and sends leaf props only: figures, grid rows, texts and the new URL.
Another application or other regions first refresh the measure list (the series names of the
province and the chosen regions, one more pipelined round trip). Back and forward in the browser
bring the view of that address back, controls included.

Exports (CSV, Excel, chart images) are audited (core/audit.py). CSV and Excel hold exactly the rows
of the table on screen, headers as shown, numbers as numbers; images are drawn by Plotly in the
browser (no kaleido on the server), so the modebar's own camera is taken off and the page's PNG
buttons, which are audited, are the one way to an image. Component ids start with "ana-".
"""

from __future__ import annotations

import asyncio
import csv
import io
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any
from urllib.parse import parse_qs, urlencode

import dash_ag_grid as dag
from dash import ClientsideFunction, Input, Output, State, ctx, dcc, html, no_update

from core import audit
from core.regions import PROVINCE_CODE
from dashboard.analyst.analysis import (
    REGIONS,
    Comparison,
    MeasureChoice,
    checked_rows,
    clean_day,
    clean_regions,
    compare,
    measure_choices,
    measure_kind,
    pick_measure,
    region_label,
    table_columns,
    table_rows,
)
from dashboard.auth.access import current_user
from dashboard.context import PageContext
from dashboard.figures.show import plot_text
from dashboard.live.channels import APPS
from dashboard.live.line import Line, move_on
from dashboard.safety.export_cells import neutralise
from dashboard.text import formatting
from dashboard.text.i18n import APPLICATIONS, application_name, text
from dashboard.text.words import Words

PATH = "/analyst"
CLOCK_ID = "ana-clock"  # moved by the page's push when the figures change
# A comparison over days is as current at one re-run every 2 s as at ten a second, which a busy day
# brings (every application's change moves it) at 4-5 ms of the server's CPU each.
RERUNS_PER_S = 0.5
DEFAULT_APP = next(iter(APPLICATIONS))
DEFAULT_REGIONS = tuple(c for c in REGIONS if c != PROVINCE_CODE)  # every kab/kota; the province is a choice
CHARTS = ("garis", "batang")  # lines per region, or grouped bars per day
DAY_MS = 86_400_000
SLOTS = len(REGIONS)  # one summary card per region that can be chosen
PANEL = "#0e1626"
TEXT = "#f3f6fb"
GRID = "#1d2a40"
# One colour per region, the same in every chart and card (province first, then BPS order).
REGION_COLORS = dict(zip(REGIONS, ("#f3f6fb", "#60a5fa", "#34d399", "#fbbf24", "#f0524a", "#a78bfa",
                                   "#f472b6", "#22d3ee", "#fb923c")))


def say(key: str, lang: str, **values) -> str:
    """A word of this page (dashboard/analyst/words.py)."""
    return text(f"ana_{key}", lang, **values)


# ---- the URL is the view ------------------------------------------------------------------------------


@dataclass(frozen=True)
class View:
    """What the analyst looks at: application, measure, regions, WIB days, chart kind and language."""

    app: str = DEFAULT_APP
    measure: str | None = None  # a series name of the application's daily trend; None: its first
    regions: tuple[str, ...] = DEFAULT_REGIONS
    start: str | None = None
    end: str | None = None
    chart: str = CHARTS[0]
    lang: str = "id"

    def search(self) -> str:
        """The query string that reopens this view (regions as one comma list, always written)."""
        parts = {"app": self.app, "ukuran": self.measure, "wilayah": ",".join(self.regions),
                 "dari": self.start, "sampai": self.end,
                 "grafik": self.chart if self.chart != CHARTS[0] else None,
                 "lang": self.lang if self.lang != "id" else None}
        return "?" + urlencode({k: v for k, v in parts.items() if v is not None}, safe=",:")


def chosen_view(app: Any, measure: Any, regions: Any, start: Any, end: Any, chart: Any, lang: Any) -> View:
    """The view the controls show (values from the browser, checked like a URL's)."""
    start, end = clean_day(start), clean_day(end)
    if start and end and start > end:
        start, end = end, start
    return View(app if app in APPLICATIONS else DEFAULT_APP, str(measure) if measure else None,
                clean_regions(regions), start, end, chart if chart in CHARTS else CHARTS[0],
                lang if lang in ("id", "en") else "id")


def parse_view(search: str | None, default_lang: str = "id") -> View:
    """The view a query string names; unknown parts fall back to the defaults, never to an error."""
    q = {k: v[0] for k, v in parse_qs((search or "").lstrip("?"), keep_blank_values=True).items() if v}
    # No `wilayah` at all: every kab/kota. An empty one: the analyst cleared the choice.
    regions = q["wilayah"].split(",") if "wilayah" in q else DEFAULT_REGIONS
    lang = (q.get("lang") or "").lower()
    return chosen_view(q.get("app"), q.get("ukuran") or q.get("measure"), regions, q.get("dari"),
                       q.get("sampai"), q.get("grafik") or q.get("chart"),
                       lang if lang in ("id", "en") else default_lang)


# ---- numbers and days as the page writes them -----------------------------------------------------------


def show_day(day: str | None, lang: str) -> str:
    return formatting.day(date.fromisoformat(day), lang) if day else formatting.DASH


def signed(change: float | None, kind: str, lang: str) -> str:
    """A change over the range: '+5,0 poin' for a percentage, '-3' for a count, '+Rp 1.200' for a price."""
    if change is None:
        return formatting.DASH
    sign = "+" if change > 0 else ("-" if change < 0 else "±")
    size = abs(change)
    if kind == "percent":  # a difference of two percentages is in points, not per cent
        return f"{sign}{formatting.number(size, 2 if size < 10 else 1, lang)} {say('points', lang)}"
    return sign + formatting.value(size, kind, lang)


def export_name(view: View, measure: str | None, extension: str) -> str:
    """A file name that says what is in it: analisis-e-yankes-terisi-3671-3673-2026-11-22-2026-11-28.csv."""
    where = "-".join(view.regions) if len(view.regions) <= 3 else f"{len(view.regions)}-wilayah"
    # The measure comes from the browser: only letters, digits, "_" and "-" reach a file name.
    what = re.sub(r"[^A-Za-z0-9_-]+", "-", measure or "").strip("-")[:60]
    parts = ["analisis", view.app, what, where, view.start or "", view.end or ""]
    return "-".join(p for p in parts if p) + "." + extension


# ---- figures as plain dicts (no plotly validation in a callback) ------------------------------------------


def _layout(lang: str, kind: str) -> dict:
    """Dark panel, Indonesian separators, whole numbers on the axis ('60.000', not Plotly's '60k')."""
    return {
        "margin": {"l": 8, "r": 16, "t": 8, "b": 8}, "paper_bgcolor": PANEL, "plot_bgcolor": PANEL,
        "font": {"color": TEXT, "size": 13}, "separators": ",." if lang != "en" else ".,",
        "legend": {"orientation": "h", "y": -0.18}, "hovermode": "x unified", "bargap": 0.25,
        "xaxis": {"gridcolor": GRID, "automargin": True},
        "yaxis": {"gridcolor": GRID, "automargin": True, "tickformat": ",~f", "rangemode": "tozero",
                  "ticksuffix": " %" if kind == "percent" else "",
                  "tickprefix": "Rp " if kind == "rupiah" else ""},
    }


def _whole_ticks(layout: dict, kind: str, comparison: Comparison) -> None:
    """Counts of a few (0 to 4 complaints) get ticks of one: Plotly would write 0,5 and 1,5."""
    top = max((v for s in comparison.series.values() for v in s.values()), default=0)
    if kind == "count" and top <= 10:
        layout["yaxis"]["dtick"] = 1


def bars_figure(comparison: Comparison, lang: str) -> dict:
    """Grouped bars per region: the figure on the first and on the last day of the range that has one."""
    measure = comparison.measure
    kind = measure.kind if measure else "number"
    layout = _layout(lang, kind)
    layout["barmode"] = "group"
    layout["hovermode"] = "closest"
    _whole_ticks(layout, kind, comparison)
    codes = [c for c in comparison.regions if comparison.last(c)]
    if not codes:
        return {"data": [], "layout": layout}
    names = [plot_text(region_label(c, lang)) for c in codes]
    traces = []
    ends = (("first", comparison.first, "#7c8aa5"), ("last", comparison.last, None))
    # With one day of figures per region the first and last bars are the same: draw the last only.
    one_day = all(comparison.first(c)[0] == comparison.last(c)[0] for c in codes)
    for word_key, pick, color in ends:
        if one_day and word_key == "first":
            continue
        points = [pick(c) for c in codes]
        traces.append({
            "type": "bar", "name": say(word_key, lang), "x": names, "y": [p[1] for p in points],
            "text": [formatting.value(p[1], kind, lang) for p in points], "textposition": "outside",
            "customdata": [show_day(p[0], lang) for p in points], "cliponaxis": False,
            "hovertemplate": "%{x}<br>%{customdata}: %{text}<extra>" + say(word_key, lang) + "</extra>",
            "marker": {"color": color or [REGION_COLORS[c] for c in codes]},
        })
    return {"data": traces, "layout": layout}


def trend_figure(comparison: Comparison, chart: str, lang: str) -> dict:
    """A time series per region: lines, or bars grouped by day with the regions side by side."""
    measure = comparison.measure
    kind = measure.kind if measure else "number"
    layout = _layout(lang, kind)
    _whole_ticks(layout, kind, comparison)
    days = comparison.days
    if chart == "batang":
        # One group of bars per day: days as categories, so a single day still gets full-width bars.
        x = [show_day(d, lang) for d in days]
        layout["xaxis"].update(type="category")
        layout["barmode"] = "group"
    else:
        x = days
        layout["xaxis"].update(type="date", tickformat="%d/%m", hoverformat="%d/%m/%Y")
        if len(days) <= 14:  # a tick per day; Plotly would otherwise split a short range into hours
            layout["xaxis"]["dtick"] = DAY_MS
        if len(days) == 1:
            only = date.fromisoformat(days[0])
            layout["xaxis"]["range"] = [(only - timedelta(days=1)).isoformat(),
                                        (only + timedelta(days=1)).isoformat()]
    data = []
    for code in comparison.regions:
        values = [comparison.value(code, d) for d in days]
        trace = {"name": plot_text(region_label(code, lang)), "x": x, "y": values,
                 "text": [formatting.value(v, kind, lang) if v is not None else "" for v in values],
                 "hovertemplate": "%{text}", "marker": {"color": REGION_COLORS[code]}}
        if chart == "batang":
            trace.update(type="bar", textposition="none")  # a label on every bar of every day is noise
        else:
            trace.update(type="scatter", mode="lines+markers", connectgaps=False,
                         line={"color": REGION_COLORS[code], "width": 2})
            trace["marker"]["size"] = 6
        data.append(trace)
    return {"data": data, "layout": layout}


def column_defs(comparison: Comparison, lang: str) -> list[dict]:
    """ag-grid columns: raw days and raw numbers (sorting works), shown the Indonesian way by the browser."""
    out = []
    for c in table_columns(comparison.regions, comparison.measure, lang):
        if c.kind == "day":
            out.append({"field": c.field, "headerName": c.header, "sort": "asc", "minWidth": 140,
                        "valueFormatter": {"function": f"ccDay(params.value, '{lang}')"}})
        else:
            out.append({"field": c.field, "headerName": c.header, "type": "rightAligned",
                        "valueFormatter": {"function": f"ccNumber(params.value, '{c.kind}', '{lang}')"}})
    return out


# ---- the page --------------------------------------------------------------------------------------------


PICKER_LABELS = ("select_all", "deselect_all", "selected_count", "search", "clear_search", "clear_selection",
                 "no_options_found")


def picker_labels(lang: str) -> dict[str, str]:
    """Dash's own dropdown words ("3 selected", "Select All") in the page's language."""
    # `{num_selected}` is Dash's placeholder: passed through text() unfilled.
    return {k: say(f"pick_{k}", lang, num_selected="{num_selected}") for k in PICKER_LABELS}


def _options(choices: list[MeasureChoice], lang: str) -> list[dict]:
    return [{"label": c.name(lang), "value": c.key} for c in choices]


CARD_PARTS = ("name", "value", "when", "change")


def _card(i: int) -> html.Div:
    """One region's figure on the last day of the range, and its change since the first."""
    parts = [html.Div("", id=f"ana-card-{part}-{i}", className=f"ana-card-{part}") for part in CARD_PARTS]
    return html.Div(parts, id=f"ana-card-{i}", className="ana-card is-empty")


def _button(key: str, button_id: str, lang: str, extra: str = "") -> html.Button:
    return html.Button(say(key, lang), id=button_id, n_clicks=0, className=f"app-button {extra}".strip())


def _chart_panel(which: str, lang: str) -> html.Section:
    """A chart with its title and its PNG button (the modebar keeps zoom and pan, not its camera)."""
    head = html.Div([html.H2("", id=f"ana-{which}-title", className="app-panel-title"),
                     _button("export_png", f"ana-png-{which}", lang, "ana-png")], className="app-panel-head")
    return html.Section([head, _graph(f"ana-{which}", lang)], className=f"app-panel ana-panel-{which}")


def _graph(graph_id: str, lang: str) -> dcc.Graph:
    return dcc.Graph(id=graph_id, className=graph_id, figure={"data": [], "layout": _layout("id", "number")},
                     config=formatting.plot_config(lang, displaylogo=False,
                                                   modeBarButtonsToRemove=["toImage", "lasso2d", "select2d"]))


def layout(view: View, choices: list[MeasureChoice], site_name: str) -> html.Div:
    """The page skeleton with the controls set to the view; everything that changes is a leaf prop."""
    lang = view.lang
    measure = next((c.key for c in choices if c.key == view.measure), choices[0].key if choices else None)
    home_href = "/" + ("?lang=en" if lang == "en" else "")
    words = {"labels": picker_labels(lang)}

    def label(key, *control):
        return html.Label([html.Span(say(key, lang), className="ana-label"), *control],
                          className=f"ana-control ana-control-{key}")

    return html.Div(
        [
            dcc.Location(id="ana-loc", refresh=False),
            dcc.Store(id="ana-lang", data=lang),
            dcc.Store(id=CLOCK_ID, data=0),
            dcc.Store(id="ana-image", data={}),
            dcc.Store(id="ana-image-done"),
            dcc.Store(id="ana-image-audit"),
            dcc.Download(id="ana-download"),
            html.Header([
                html.Div([dcc.Link(text("app_home", lang), href=home_href, className="app-home"),
                          html.Span(site_name, className="app-site")], className="app-top"),
                html.H1(say("title", lang), className="app-title"),
                html.P(say("share", lang), className="ana-share"),
            ], className="app-header"),
            html.Section([
                label("app", dcc.Dropdown(id="ana-app", value=view.app, clearable=False, searchable=False,
                                          options=[{"label": application_name(a, lang), "value": a}
                                                   for a in APPLICATIONS], **words)),
                label("measure", dcc.Dropdown(id="ana-measure", value=measure, clearable=False, **words,
                                              options=_options(choices, lang))),
                label("regions", dcc.Dropdown(id="ana-regions", value=list(view.regions), multi=True, **words,
                                              placeholder=say("regions_hint", lang),
                                              options=[{"label": region_label(c, lang), "value": c}
                                                       for c in REGIONS])),
                label("range", dcc.DatePickerRange(id="ana-range", start_date=view.start, end_date=view.end,
                                                   display_format="DD/MM/YYYY", clearable=True,
                                                   first_day_of_week=1,  # weeks start on Senin
                                                   start_date_placeholder_text=text("app_start", lang),
                                                   end_date_placeholder_text=text("app_end", lang))),
                label("chart", dcc.RadioItems(id="ana-chart", value=view.chart, inline=True,
                                              className="ana-chart-kind",
                                              options=[{"label": say("chart_line", lang), "value": "garis"},
                                                       {"label": say("chart_bar", lang),
                                                        "value": "batang"}])),
            ], className="app-panel ana-controls"),
            html.Div("", id="ana-message", className="app-message ana-message", role="status"),
            html.Section([_card(i) for i in range(SLOTS)], className="ana-cards", id="ana-cards"),
            html.Div([_chart_panel("bars", lang), _chart_panel("trend", lang)], className="ana-charts"),
            html.Section([
                html.Div([html.H2("", className="app-panel-title", id="ana-table-title"),
                          html.Span("", id="ana-table-count", className="app-table-count"),
                          _button("export_csv", "ana-csv", lang), _button("export_xlsx", "ana-xlsx", lang)],
                         className="app-panel-head"),
                dag.AgGrid(id="ana-grid", rowData=[], columnDefs=[], className="ag-theme-quartz ana-grid",
                           getRowId="params.data._id",
                           defaultColDef={"sortable": True, "resizable": True, "flex": 1, "minWidth": 120},
                           dashGridOptions={"animateRows": False, "domLayout": "autoHeight"}),
            ], className="app-panel ana-panel-table"),
        ],
        id="ana-page", className="app-page ana-page", lang=lang,
        # data-view: the address of what is shown; "-" until the first comparison (no address reads so).
        **{"data-view": "-", "data-app": "", "data-measure": "", "data-wilayah": "", "data-days": ""},
    )


OUTPUTS = (
    [Output("ana-loc", "search"), Output("ana-page", "data-view"), Output("ana-page", "data-app"),
     Output("ana-page", "data-measure"),
     Output("ana-page", "data-wilayah"), Output("ana-page", "data-days"), Output("ana-message", "children")]
    + [Output(f"ana-card-{i}", p) for i in range(SLOTS) for p in ("className", "style")]
    + [Output(f"ana-card-{part}-{i}", "children") for i in range(SLOTS) for part in CARD_PARTS]
    + [Output("ana-bars", "figure"), Output("ana-bars-title", "children"), Output("ana-trend", "figure"),
       Output("ana-trend-title", "children"), Output("ana-grid", "rowData"), Output("ana-grid", "columnDefs"),
       Output("ana-table-title", "children"), Output("ana-table-count", "children"),
       Output("ana-image", "data")]
)


# The controls, set by the comparison callback when the URL changes under them (back, forward) and
# the measure list when the application or the regions change.
CONTROLS = [Output("ana-app", "value"), Output("ana-measure", "options"), Output("ana-measure", "value"),
            Output("ana-regions", "value"), Output("ana-range", "start_date"),
            Output("ana-range", "end_date"), Output("ana-chart", "value")]


def render(client, view: View) -> tuple[list, Comparison]:
    """Every leaf prop for a view, in OUTPUTS order (the URL first), and the comparison it shows."""
    lang = view.lang
    comparison = compare(client, view.app, view.measure, view.regions, view.start, view.end)
    measure = comparison.measure
    shown = replace(view, measure=measure.key if measure else view.measure)
    kind = measure.kind if measure else "number"
    if not view.regions:
        message = say("no_regions", lang)
    elif measure is None:
        message = say("no_measure", lang, app=application_name(view.app, lang))
    elif comparison.empty:
        message = say("no_data", lang)
    else:
        message = ""
    cards_shell, cards_text = [], []
    for i in range(SLOTS):
        code = comparison.regions[i] if i < len(comparison.regions) else None
        if code is None:
            cards_shell += ["ana-card is-empty", {}]
            cards_text += ["", "", "", ""]
            continue
        last, first = comparison.last(code), comparison.first(code)
        cards_shell += ["ana-card", {"--region": REGION_COLORS[code]}]
        cards_text += [region_label(code, lang),
                       formatting.value(last[1], kind, lang) if last else formatting.DASH,
                       say("as_of", lang, day=show_day(last[0], lang)) if last else text("no_data", lang),
                       say("change", lang, change=signed(comparison.change(code), kind, lang),
                           day=show_day(first[0], lang)) if comparison.change(code) is not None else ""]
    label = measure.name(lang) if measure else ""
    rows = table_rows(comparison)
    titles = {"bars": say("compare_title", lang, measure=label),
              "trend": say("trend_title", lang, measure=label)}
    days = comparison.days
    span = f"{show_day(days[0], lang)} – {show_day(days[-1], lang)}" if days else ""
    image = {"bars": export_name(shown, shown.measure, "png").replace(".png", "-perbandingan"),
             "trend": export_name(shown, shown.measure, "png").replace(".png", "-harian"),
             "titles": {k: f"{plot_text(t)}<br><sup>{plot_text(span)}</sup>" for k, t in titles.items()},
             "target": f"{view.app}:{shown.measure or ''}"}
    address = shown.search()
    count = say("days" if len(rows) != 1 else "one_day", lang, n=formatting.count(len(rows), lang))
    props = ([address, address, view.app, shown.measure or "", ",".join(view.regions), str(len(rows)),
              message]
             + cards_shell + cards_text
             + [bars_figure(comparison, lang), titles["bars"], trend_figure(comparison, view.chart, lang),
                titles["trend"], rows, column_defs(comparison, lang), say("table_title", lang, measure=label),
                count, image])
    return props, comparison


def csv_text(headers: list[str], rows: list[list]) -> str:
    """The table as CSV: days as ISO dates, figures as plain numbers (a decimal point, no grouping)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([neutralise(h) for h in headers])
    for row in rows:
        writer.writerow(["" if v is None else neutralise(v) for v in row])
    return out.getvalue()


EXCEL_FORMATS = {"count": "#,##0", "percent": '#,##0.0" %"', "rupiah": '"Rp "#,##0', "number": "#,##0.##"}


def excel_bytes(headers: list[str], kinds: list[str], rows: list[list], sheet: str) -> bytes:
    """The table as .xlsx: real dates and real numbers, shown with the page's formats."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    ws = book.active
    ws.title = "".join(ch for ch in sheet if ch not in '[]:*?/\\')[:31] or "analisis"
    ws.append([neutralise(h) for h in headers])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([date.fromisoformat(row[0])] + [neutralise(v) for v in row[1:]])
    for col, kind in enumerate(kinds, start=1):
        fmt = "DD/MM/YYYY" if kind == "day" else EXCEL_FORMATS.get(kind, "General")
        for (cell,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
            cell.number_format = fmt
        ws.column_dimensions[get_column_letter(col)].width = 14 if kind == "day" else 24
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# ---- the router's side ----------------------------------------------------------------------------------


async def route(pathname: str, search: str, meta: dict | None, pc: PageContext):
    """(page, meta); the page is kept when only the view changed (the controls wrote the URL)."""
    view = parse_view(search, pc.language)
    if meta and meta.get("page") == "analyst" and meta.get("lang") == view.lang:
        return no_update, no_update
    choices = await asyncio.to_thread(measure_choices, pc.redis, view.app, view.regions)
    return layout(view, choices, pc.config.site.name), {"wall": None, "page": "analyst", "lang": view.lang}


def register(app, pc: PageContext) -> None:
    """The page's callbacks: the comparison (with the measure list and the URL), and the audited exports."""
    client = pc.redis

    @app.callback(*OUTPUTS, *CONTROLS, Input("ana-app", "value"), Input("ana-measure", "value"),
                  Input("ana-regions", "value"), Input("ana-range", "start_date"),
                  Input("ana-range", "end_date"), Input("ana-chart", "value"), Input("ana-loc", "search"),
                  Input(CLOCK_ID, "data"), State("ana-lang", "data"), State("ana-page", "data-view"))
    def compare_regions(app_id, measure, regions, start, end, chart, search, _figures_moved, lang, rendered):
        """Read the chosen measure in the chosen regions and send every leaf prop (and the new URL).

        A control changed: the view is the controls', written to the URL. The URL changed (back or
        forward in the browser): the view is the URL's, and the controls are set to it. The figures
        changed (the page's push moved CLOCK_ID): the view shown, read again. Another
        application or other regions: the measure list is read again first (a second round trip).
        """
        lang = lang if lang in ("id", "en") else "id"
        shown = chosen_view(app_id, measure, regions, start, end, chart, lang)
        trigger = ctx.triggered_id
        if trigger == "ana-loc" and (search or "") == rendered:
            return [no_update] * (len(OUTPUTS) + len(CONTROLS))  # the address of what is shown already
        # The address set on load (the page's first paint) or by back/forward: its view, controls included.
        view = replace(parse_view(search, lang), lang=lang) if trigger == "ana-loc" else shown
        choices = None
        if trigger in ("ana-app", "ana-regions", "ana-loc"):
            choices = measure_choices(client, view.app, view.regions)
            # A new application starts at its first measure; other regions keep the measure they offer.
            chosen = pick_measure(choices, None if trigger == "ana-app" else view.measure)
            view = replace(view, measure=chosen.key if chosen else None)
        props, _ = render(client, view)
        if props[0] == (search or ""):
            props[0] = no_update  # the URL already says it: no new history entry
        controls = [no_update] * len(CONTROLS)
        if choices is not None:
            controls[1:3] = [_options(choices, lang), view.measure]
        if trigger == "ana-loc":
            controls = [view.app, controls[1], view.measure, list(view.regions), view.start, view.end,
                        view.chart]
        return props + controls

    # The chart images are drawn by Plotly in the browser (assets/analyst/chart-image.js).
    app.clientside_callback(ClientsideFunction("analyst", "downloadImage"), Output("ana-image-done", "data"),
                            Input("ana-png-bars", "n_clicks"), Input("ana-png-trend", "n_clicks"),
                            State("ana-image", "data"), prevent_initial_call=True)

    @app.callback(Output("ana-image-audit", "data"), Input("ana-png-bars", "n_clicks"),
                  Input("ana-png-trend", "n_clicks"), State("ana-image", "data"), prevent_initial_call=True)
    def audit_image(_bars, _trend, image):
        """An image leaves the system: who, which chart, of what."""
        which = "bars" if ctx.triggered_id == "ana-png-bars" else "trend"
        name = str((image or {}).get(which) or "")
        audit.record(client, who=current_user().name, action="export",
                     target=f"analyst:{(image or {}).get('target') or ''}", detail=f"png {name}.png")
        return name

    @app.callback(Output("ana-download", "data"), Input("ana-csv", "n_clicks"), Input("ana-xlsx", "n_clicks"),
                  State("ana-grid", "rowData"), State("ana-app", "value"), State("ana-measure", "value"),
                  State("ana-regions", "value"), State("ana-range", "start_date"),
                  State("ana-range", "end_date"), State("ana-lang", "data"), State("ana-measure", "options"),
                  prevent_initial_call=True)
    def export_table(_csv, _xlsx, rows, app_id, measure, regions, start, end, lang, options):
        """The table on screen as CSV or Excel, audited."""
        view = chosen_view(app_id, measure, regions, start, end, None, lang)
        chosen = MeasureChoice(view.app, measure or "", Words.same(""), measure_kind(view.app, measure))
        columns = table_columns(view.regions, chosen, view.lang)
        table = checked_rows(rows, columns)
        headers = [c.header for c in columns]
        fmt = "xlsx" if ctx.triggered_id == "ana-xlsx" else "csv"
        name = export_name(view, measure, fmt)
        audit.record(client, who=current_user().name, action="export",
                     target=f"analyst:{view.app}:{str(measure or '')[:100]}",
                     detail=f"{fmt} {name}: {len(table)} baris, wilayah {','.join(view.regions) or '-'}")
        if fmt == "csv":
            return dcc.send_string(csv_text(headers, table), name, type="text/csv")
        offered = [o for o in options or [] if isinstance(o, dict) and o.get("value") == measure]
        label = offered[0].get("label") if offered else (measure or "analisis")
        return dcc.send_bytes(excel_bytes(headers, [c.kind for c in columns], table, str(label)), name)


async def push(line: Line, pc: PageContext) -> None:
    """Keep one open analyst page current: the comparison is read again when the hub sees any
    application's figures change, at most RERUNS_PER_S times a second."""
    await pc.hub.start()
    await move_on(line, CLOCK_ID, [pc.hub.channel(APPS)], rate=RERUNS_PER_S)
