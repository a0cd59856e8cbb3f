"""The page of one application at `/app/<application>`: headline figures, map, bars, trend and table.

Over 450 lines: the drill's read, its leaf props and the page's callbacks are one view's, kept together.

Drill-down: province -> kab/kota (`?wilayah=3673`) -> unit (`&unit=RS001`: market, hospital,
satker, programme, category, camera) -> record (`&rekaman=R02`), with `dari`/`sampai` (WIB days)
for the time range and `lang=en`. The URL is the whole state, so a view can be shared.

The page is built once per load (`layout`); a click only changes the URL, and one callback
(`drill`) reads at most four Redis hashes in one round trip (core/streams.py: app_regions,
app_units, app_trend, app_records) and sends leaf props: texts, figures and grid rows. No
stream scans, no data in module globals: the sync Redis client comes from `create_app`.
Every text from a source is sent as text (grid cells, component children), never as HTML.
"""

from __future__ import annotations

import asyncio
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import dash_ag_grid as dag
from dash import Input, Output, State, ctx, dcc, html, no_update

from core.regions import KABKOTA, PROVINCE_CODE, region_name
from core.streams import app_record_times, app_records, app_regions, app_trend, app_units, from_iso, json_fields
from dashboard.applications.words import WORDS
from dashboard.figures.charts import bar_figure, trend_figure
from dashboard.figures.show import plot_text, show, wib_stamp  # noqa: F401 (plot_text: the page's own words)
from dashboard.figures.specs import SPECS, AppSpec, Col, word
from dashboard.figures.view import PREFIX, View, day_of, parse_view
from dashboard.live.channels import app_channel
from dashboard.live.line import Line, move_on
from dashboard.maps.region_map import map_figure, map_paint, map_patch
from dashboard.safety.export_cells import csv_text, neutralise
from dashboard.text import definitions, formatting
from dashboard.text.i18n import application_name, text
from dashboard.tiles.map import Geometry

HEADLINE_SLOTS = 6
CLOCK_ID = "app-clock"  # moved by the page's push when the application's figures change
CRUMB_SLOTS = 4  # province, kab/kota, unit, record
PANEL = "#0e1626"
MUTED = "#9aa8bf"


# ---- the URL is the state --------------------------------------------------------------------------


# ---- reading Redis: one pipelined round trip per view ------------------------------------------------


@dataclass
class Data:
    regions: dict[str, dict]
    units: dict[str, dict]
    trend: dict[str, dict]
    records: dict[str, dict]  # the newest RECORDS_SHOWN of the unit's records in the view's days
    province_units: int = 0
    records_total: int = 0  # all of the unit's records in the view's days


# A unit can hold every complaint of a disaster: the record level shows the newest this many.
RECORDS_SHOWN = 1_000

# The newest records of a unit in a range of event times, and how many there are, in one call:
# KEYS: the unit's time index and records; ARGV: lowest score, highest score, how many, chosen record.
_NEWEST_RECORDS = """
local total = redis.call('ZCOUNT', KEYS[1], ARGV[1], ARGV[2])
local keys = redis.call('ZREVRANGEBYSCORE', KEYS[1], ARGV[2], ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
if ARGV[4] ~= '' then table.insert(keys, ARGV[4]) end
local rows = {}
if #keys > 0 then rows = redis.call('HMGET', KEYS[2], unpack(keys)) end
return {total, keys, rows}
"""



def read(client, view: View) -> Data:
    """The hashes the view needs, in one pipeline (no transaction): regions, units, trend, records."""
    where = view.region or PROVINCE_CODE
    with client.pipeline(transaction=False) as pipe:
        pipe.hgetall(app_regions(view.app))
        pipe.hgetall(app_trend(view.app, where))
        if view.region:
            pipe.hgetall(app_units(view.app, view.region))
        else:
            pipe.hlen(app_units(view.app, PROVINCE_CODE))
        if view.unit:
            lowest, highest = _score_range(view)
            pipe.eval(_NEWEST_RECORDS, 2, app_record_times(view.app, view.region, view.unit),
                      app_records(view.app, view.region, view.unit), lowest, highest, RECORDS_SHOWN,
                      view.record or "")
        answers = pipe.execute()
    regions, trend = json_fields(answers[0]), json_fields(answers[1])
    units = json_fields(answers[2]) if view.region else {}
    province_units = 0 if view.region else int(answers[2] or 0)
    records, total = {}, 0
    if view.unit:
        total, keys, rows = answers[3]
        records = json_fields({k: v for k, v in zip(keys, rows) if v is not None})
    return Data(regions, units, trend, records, province_units, int(total))


def _score_range(view: View) -> tuple[str, str]:
    """The view's WIB days as scores of the time index (epoch seconds; the end day included)."""
    def midnight(day: str) -> float:
        return datetime.combine(date.fromisoformat(day), time(), formatting.WIB).timestamp()

    lowest = repr(midnight(view.start)) if view.start else "-inf"
    highest = "(" + repr(midnight(view.end) + timedelta(days=1).total_seconds()) if view.end else "+inf"
    return lowest, highest


# ---- turning figures into what the page shows --------------------------------------------------------


def region_label(code: str, lang: str) -> str:
    return region_name(code, word("province_level", lang))


def column_defs(cols: tuple[Col, ...], lang: str) -> list[dict]:
    """ag-grid columns: numbers stay numbers (sorting, filters), shown the Indonesian way by the browser."""
    out = []
    for c in cols:
        d: dict[str, Any] = {"field": c.field, "headerName": c.name(lang)}
        if c.kind in ("count", "number", "percent", "rupiah"):
            d.update(filter="agNumberColumnFilter", type="rightAligned",
                     valueFormatter={"function": f"ccNumber(params.value, '{c.kind}', '{lang}')"})
        else:
            d["filter"] = "agTextColumnFilter"
        out.append(d)
    return out


def _row(figures: dict, cols: tuple[Col, ...], key: str, lang: str) -> dict:
    row: dict[str, Any] = {"_id": key}
    for c in cols:
        v = figures.get(c.field)
        if c.field == "komoditas" and v is None:
            v = len(figures.get("commodities") or {})
        if c.kind in ("count", "number", "percent", "rupiah"):
            row[c.field] = v if isinstance(v, (int, float)) and not isinstance(v, bool) else None
        else:
            row[c.field] = show(v, c.kind, lang) if v not in (None, "") else ""
    return row


def in_range(stamp: str | None, view: View) -> bool:
    """Whether a stored UTC time falls in the view's WIB days."""
    if not (view.start or view.end):
        return True
    if not stamp:
        return False
    try:
        day = formatting.to_wib(from_iso(stamp)).date().isoformat()
    except ValueError:
        return True
    return (not view.start or day >= view.start) and (not view.end or day <= view.end)


@dataclass
class Table:
    cols: tuple[Col, ...]
    rows: list[dict]
    title: str


def table(spec: AppSpec, view: View, data: Data) -> Table:
    """What the grid lists at this level: kab/kota, units, or the unit's records."""
    lang = view.lang
    if view.level == "provinsi":
        measure = spec.map_measure(data.regions.get(PROVINCE_CODE) or {})
        # Without columns of its own (e-Statistik), the table shows what the map shows.
        extra = spec.region_cols or (Col("_map", measure.name, measure.kind),)
        cols = (Col("name", WORDS["app_region"]),) + extra
        rows = [_row(dict(f, name=region_label(code, lang), _map=measure.of(f)), cols, code, lang)
                for code, f in sorted(data.regions.items()) if code != PROVINCE_CODE]
        if data.province_units and spec.app != "e-statistik":
            rows.append(_row({"name": word("province_level", lang)}, cols, PROVINCE_CODE, lang))
        if spec.app == "e-statistik" and PROVINCE_CODE in data.regions:
            own = data.regions[PROVINCE_CODE]
            rows.insert(0, _row({"name": word("province_level", lang), "_map": measure.of(own)}, cols, PROVINCE_CODE,
                                lang))
        return Table(cols, rows, word("region", lang))
    if view.level == "wilayah":
        rows = [_row(f, spec.unit_cols, unit, lang) for unit, f in sorted(data.units.items())]
        return Table(spec.unit_cols, rows, spec.unit(lang))
    rows = [_row(r, spec.record_cols, key, lang) for key, r in sorted(data.records.items())
            if in_range(r.get("_t"), view)]
    return Table(spec.record_cols, rows, spec.record(lang))


def headline_figures(spec: AppSpec, view: View, data: Data) -> tuple[dict, str]:
    """The figures the headline shows, and whose they are (province, kab/kota, unit)."""
    if view.unit:
        return data.units.get(view.unit) or {}, str((data.units.get(view.unit) or {}).get("name") or view.unit)
    where = view.region or PROVINCE_CODE
    return data.regions.get(where) or {}, region_label(where, view.lang) if view.region else text("province",
                                                                                                   view.lang)


def record_detail(spec: AppSpec, view: View, data: Data) -> list[dict]:
    """The chosen record's fields as (field, value) rows, every value as text."""
    row = data.records.get(view.record or "")
    if not row:
        return []
    lang = view.lang
    known = {c.field: c for c in spec.record_cols}
    out = []
    for key, value in row.items():
        if key == "_t":
            out.append({"_id": key, "field": word("event_time", lang), "value": wib_stamp(value, lang)})
        elif key == "_i":
            out.append({"_id": key, "field": word("ingest_time", lang), "value": wib_stamp(value, lang)})
        elif not key.startswith("_"):
            col = known.get(key)
            out.append({"_id": key, "field": col.name(lang) if col else key,
                        "value": show(value, col.kind if col else "text", lang)})
    return out


# ---- figures as plain dicts (no plotly validation: it costs more than the whole read) --------------------


# ---- the page -------------------------------------------------------------------------------------


def layout(view: View, geometry: Geometry, site_name: str, pathname: str, search: str) -> html.Div:
    """The page skeleton, built once per load: every changing part is a leaf prop the drill callback sets."""
    lang = view.lang
    spec = SPECS.get(view.app)
    if spec is None:
        suffix = "?lang=en" if lang == "en" else ""
        known = [html.Li(dcc.Link(application_name(a, lang), href=f"{PREFIX}{a}{suffix}")) for a in SPECS]
        return html.Div([html.H1(word("unknown_app", lang, name=view.app), className="app-title"),
                         html.Ul(known)], className="app-page", id="app-page", lang=lang)
    tiles = [html.Div([html.Div("", id=f"app-stat-label-{i}", className="app-stat-label has-definition",
                                tabIndex="0"),
                       html.Div("", id=f"app-stat-value-{i}", className="app-stat-value")],
                      id=f"app-stat-{i}", className="app-stat is-empty") for i in range(HEADLINE_SLOTS)]
    crumbs = []
    for i in range(CRUMB_SLOTS):
        crumbs.append(dcc.Link("", id=f"app-crumb-{i}", href=view.href(), className="app-crumb is-empty"))
    home_href = "/" + ("?lang=en" if lang == "en" else "")
    return html.Div(
        [
            dcc.Location(id="app-loc", refresh=False, pathname=pathname, search=search),
            dcc.Store(id=CLOCK_ID, data=0),
            dcc.Download(id="app-download"),
            html.Header([
                html.Div([dcc.Link(word("home", lang), href=home_href, className="app-home"),
                          html.Span(site_name, className="app-site")], className="app-top"),
                html.H1(application_name(view.app, lang), className="app-title", id="app-title"),
                html.Nav(crumbs, className="app-crumbs", id="app-crumbs", **{"aria-label": "breadcrumb"}),
                html.Div("", id="app-updated", className="app-updated"),
            ], className="app-header"),
            html.Section(tiles, className="app-stats", id="app-stats"),
            html.Div([
                html.Section([html.H2(word("map", lang), className="app-panel-title"),
                              dcc.Graph(id="app-map", figure=map_figure(geometry), className="app-map",
                                        config=formatting.plot_config(lang, displayModeBar=False, scrollZoom=False))],
                             className="app-panel app-panel-map"),
                html.Section([html.H2(word("bars", lang), className="app-panel-title", id="app-bars-title"),
                              dcc.Graph(id="app-bars", className="app-bars",
                                        config=formatting.plot_config(lang, displayModeBar=False))],
                             className="app-panel app-panel-bars"),
                html.Section([html.Div([html.H2(word("trend", lang), className="app-panel-title"),
                                        html.Div([html.Span(word("range", lang), className="app-range-label"),
                                                  dcc.DatePickerRange(id="app-range", start_date=view.start,
                                                                      end_date=view.end, display_format="DD/MM/YYYY",
                                                                      clearable=True,
                                                                      start_date_placeholder_text=word("start", lang),
                                                                      end_date_placeholder_text=word("end", lang))],
                                                 className="app-range")], className="app-panel-head"),
                              dcc.Graph(id="app-trend", className="app-trend",
                                        config=formatting.plot_config(lang, displayModeBar=False))],
                             className="app-panel app-panel-trend"),
            ], className="app-charts"),
            html.Section([
                html.Div([html.H2("", className="app-panel-title", id="app-table-title"),
                          html.Span("", id="app-table-count", className="app-table-count"),
                          html.Button(word("export_csv", lang), id="app-csv", n_clicks=0, className="app-button"),
                          html.Button(word("export_xlsx", lang), id="app-xlsx", n_clicks=0, className="app-button")],
                         className="app-panel-head"),
                dag.AgGrid(id="app-grid", rowData=[], columnDefs=[], className="ag-theme-quartz app-grid",
                           getRowId="params.data._id",
                           defaultColDef={"sortable": True, "filter": True, "floatingFilter": True,
                                          "resizable": True, "flex": 1, "minWidth": 110},
                           dashGridOptions={"rowSelection": {"mode": "singleRow", "checkboxes": False,
                                                             "enableClickSelection": True},
                                            "animateRows": False},
                           csvExportParams={"fileName": f"{view.app}.csv"}, style={"height": "420px"}),
            ], className="app-panel app-panel-table"),
            html.Section([
                html.H2(word("record", lang), className="app-panel-title"),
                dag.AgGrid(id="app-record", rowData=[], getRowId="params.data._id",
                           columnDefs=[{"field": "field", "headerName": word("field", lang), "flex": 1},
                                       {"field": "value", "headerName": word("value", lang), "flex": 2,
                                        "wrapText": True, "autoHeight": True}],
                           className="ag-theme-quartz app-record-grid", style={"height": "360px"}),
            ], className="app-panel app-panel-record is-empty", id="app-record-panel"),
            html.Div("", id="app-message", className="app-message", role="status"),
        ],
        id="app-page", className=f"app-page app-{view.app}", lang=lang,
        **{"data-app": view.app, "data-level": "", "data-wilayah": "", "data-unit": "", "data-rekaman": ""},
    )


OUTPUTS = (
    [Output("app-page", "data-level"), Output("app-page", "data-wilayah"), Output("app-page", "data-unit"),
     Output("app-page", "data-rekaman"), Output("app-updated", "children"), Output("app-message", "children")]
    + [Output(f"app-crumb-{i}", p) for i in range(CRUMB_SLOTS) for p in ("children", "href", "className")]
    + [Output(f"app-stat-{i}", "className") for i in range(HEADLINE_SLOTS)]
    + [Output(f"app-stat-label-{i}", "children") for i in range(HEADLINE_SLOTS)]
    + [Output(f"app-stat-label-{i}", "title") for i in range(HEADLINE_SLOTS)]
    + [Output(f"app-stat-value-{i}", "children") for i in range(HEADLINE_SLOTS)]
    + [Output("app-map", "figure"), Output("app-bars", "figure"), Output("app-bars-title", "children"),
       Output("app-trend", "figure"), Output("app-grid", "rowData"), Output("app-grid", "columnDefs"),
       Output("app-table-title", "children"), Output("app-table-count", "children"),
       Output("app-record", "rowData"), Output("app-record-panel", "className"),
       Output("app-grid", "selectedRows")]
)


def render(client, geometry: Geometry, view: View) -> list:
    """Every leaf prop of the page for a view, in OUTPUTS order."""
    spec = SPECS[view.app]
    lang = view.lang
    data = read(client, view)
    province = data.regions.get(PROVINCE_CODE) or {}
    # Crumbs: province, kab/kota, unit, record (the last one is where we are).
    crumbs = [(text("province", lang), view.href(wilayah=None, unit=None, rekaman=None))]
    if view.region:
        crumbs.append((region_label(view.region, lang), view.href(unit=None, rekaman=None)))
    if view.unit:
        crumbs.append((str((data.units.get(view.unit) or {}).get("name") or view.unit), view.href(rekaman=None)))
    if view.record:
        crumbs.append((view.record, view.href()))
    crumb_props: list = []
    for i in range(CRUMB_SLOTS):
        if i < len(crumbs):
            last = i == len(crumbs) - 1
            crumb_props += [crumbs[i][0], crumbs[i][1], "app-crumb is-current" if last else "app-crumb"]
        else:
            crumb_props += ["", view.href(), "app-crumb is-empty"]
    figures, _ = headline_figures(spec, view, data)
    stats = spec.headline(figures) if figures else []
    stats = stats[:HEADLINE_SLOTS]
    stat_class = ["app-stat" if i < len(stats) else "app-stat is-empty" for i in range(HEADLINE_SLOTS)]
    stat_label = [s[0](lang) if s else "" for s in stats + [None] * (HEADLINE_SLOTS - len(stats))]
    stat_value = [show(s[1], s[2], lang) if s else "" for s in stats + [None] * (HEADLINE_SLOTS - len(stats))]
    # What each figure means, on hover and tap (dashboard/text/definitions.py), found by the label it is shown with.
    stat_meaning = [(d(lang) if s and (d := definitions.labelled(view.app, s[0])) else "")
                    for s in stats + [None] * (HEADLINE_SLOTS - len(stats))]
    # Map and bars.
    measure = spec.map_measure(province)
    patch = map_patch(map_paint(geometry, data.regions, measure, view), geometry, view)
    if view.level == "provinsi":
        items = [(c, region_label(c, lang), measure.of(f)) for c, f in data.regions.items() if c in KABKOTA]
        bars, bar_title = bar_figure(items, measure, lang), f"{measure.name(lang)} — {word('region', lang)}"
    elif view.level == "wilayah":
        m = spec.unit_measure
        items = [(u, str(f.get("name") or u), m.of(f) if m else None) for u, f in data.units.items()]
        bars = bar_figure(items, m, lang)
        bar_title = f"{m.name(lang)} — {spec.unit(lang)}" if m else word("bars", lang)
    else:
        m = spec.record_measure
        items = [(k, str(r.get("name") or r.get("nama_ruang") or r.get("nama_paket") or k), m.of(r) if m else None)
                 for k, r in data.records.items() if in_range(r.get("_t"), view)]
        bars = bar_figure(items, m, lang)
        bar_title = f"{m.name(lang)} — {spec.record(lang)}" if m else word("bars", lang)
    trend = trend_figure(spec, view, data.trend)
    grid = table(spec, view, data)
    detail = record_detail(spec, view, data)
    updated = figures.get("updated") if figures else None
    updated_text = word("updated", lang, when=formatting.wib_datetime(from_iso(updated), lang)) if updated else ""
    empty = not figures and not grid.rows
    selected = [r for r in grid.rows if r["_id"] == view.record] if view.record else []
    return ([view.level, view.region or "", view.unit or "", view.record or "", updated_text,
             word("no_data", lang) if empty else ""]
            + crumb_props + stat_class + stat_label + stat_meaning + stat_value
            + [patch, bars, bar_title, trend, grid.rows, column_defs(grid.cols, lang), grid.title,
               word("records_in", lang, n=formatting.count(
                   data.records_total if view.unit else len(grid.rows), lang)), detail,
               "app-panel app-panel-record" if detail else "app-panel app-panel-record is-empty", selected])


def excel_bytes(client, view: View) -> bytes:
    """The table of a view as an .xlsx (headers in the page's language, numbers as numbers, text that
    looks like a formula kept as text)."""
    import pandas as pd

    spec = SPECS[view.app]
    grid = table(spec, view, read(client, view))
    frame = pd.DataFrame([{c.name(view.lang): neutralise(r.get(c.field)) for c in grid.cols} for r in grid.rows],
                         columns=[c.name(view.lang) for c in grid.cols])
    out = io.BytesIO()
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        frame.to_excel(writer, index=False, sheet_name=view.app[:31])
    return out.getvalue()


def csv_export(client, view: View) -> str:
    """The table of a view as CSV, as the grid shows it (text cells that look like a formula kept as text)."""
    grid = table(SPECS[view.app], view, read(client, view))
    return csv_text([c.name(view.lang) for c in grid.cols],
                    [["" if r.get(c.field) is None else r.get(c.field) for c in grid.cols] for r in grid.rows])


def route(pathname: str, search: str, meta: dict | None, pc):
    """(page, meta) for an application URL; the page is kept (no_update) when only the drill state changed."""
    view = parse_view(pathname, search, pc.language)
    key = {"wall": None, "lang": view.lang, "app": view.app}
    if meta and meta.get("app") == view.app and meta.get("lang") == view.lang:
        return no_update, no_update
    return layout(view, pc.geometry, pc.config.site.name, pathname, search or ""), key


def register(app, pc) -> None:
    """The page's callbacks: the drill read, the clicks that change the URL, and the exports (written
    here, on the server, and audited by the gate's audit (dashboard/auth/checks.py Auth.audit) as they
    are made)."""
    client, geometry, default_lang = pc.redis, pc.geometry, pc.language

    @app.callback(*OUTPUTS, Input("app-loc", "pathname"), Input("app-loc", "search"), Input(CLOCK_ID, "data"))
    def drill(pathname, search, _figures_moved):
        """Read the view's hashes and send every leaf prop (one Redis round trip): for a new view, and
        again whenever the application's figures changed (the page's push moves CLOCK_ID)."""
        view = parse_view(pathname, search, default_lang)
        if view is None or view.app not in SPECS:
            return [no_update] * len(OUTPUTS)
        return render(client, geometry, view)

    @app.callback(Output("app-loc", "search"),
                  Input("app-map", "clickData"), Input("app-bars", "clickData"), Input("app-grid", "cellClicked"),
                  Input("app-range", "start_date"), Input("app-range", "end_date"),
                  State("app-loc", "pathname"), State("app-loc", "search"), State("app-page", "data-level"),
                  prevent_initial_call=True)
    def navigate(map_click, bar_click, cell, start, end, pathname, search, level):
        """A click on the map, a bar or a row goes one level down; the picker sets the time range."""
        view = parse_view(pathname, search, default_lang)
        if view is None:
            return no_update
        trigger = ctx.triggered_id
        new = search or ""
        if trigger == "app-map" and map_click:
            code = (map_click.get("points") or [{}])[0].get("customdata")
            if code in KABKOTA:
                new = view.search(wilayah=code, unit=None, rekaman=None)
        elif trigger in ("app-bars", "app-grid"):
            key = ((bar_click or {}).get("points") or [{}])[0].get("customdata") if trigger == "app-bars" \
                else (cell or {}).get("rowId")
            level = level or view.level
            if key is None:
                return no_update
            if level == "provinsi" and (key in KABKOTA or key == PROVINCE_CODE):
                new = view.search(wilayah=key, unit=None, rekaman=None)
            elif level == "wilayah":
                new = view.search(unit=key, rekaman=None)
            elif level in ("unit", "rekaman"):
                new = view.search(rekaman=key)
        elif trigger == "app-range":
            new = view.search(dari=day_of(start), sampai=day_of(end))
        return new if new != (search or "") else no_update

    @app.callback(Output("app-download", "data"), Input("app-csv", "n_clicks"), Input("app-xlsx", "n_clicks"),
                  State("app-loc", "pathname"), State("app-loc", "search"), prevent_initial_call=True)
    async def export(csv_clicks, xlsx_clicks, pathname, search):
        """The view's table as CSV or Excel; the file is made here, so here it is audited (a request
        sent without the page is audited all the same)."""
        view = parse_view(pathname, search, default_lang)
        kind = "csv" if ctx.triggered_id == "app-csv" else "xlsx"
        if not (csv_clicks if kind == "csv" else xlsx_clicks) or view is None or view.app not in SPECS:
            return no_update
        name = "-".join(p for p in (view.app, view.region, view.unit) if p) + f".{kind}"
        if pc.audit is not None:
            await pc.audit("export", target=f"{pathname or ''}{search or ''}", detail=kind)
        if kind == "csv":
            return dcc.send_string(await asyncio.to_thread(csv_export, client, view), name, type="text/csv")
        return dcc.send_bytes(await asyncio.to_thread(excel_bytes, client, view), name)


async def push(line: Line, pc) -> None:
    """Keep one open application page current: its drill is read again the moment the hub sees the
    application's figures change (a `cc:kpi-updates` entry naming it), at most `push_rate` times a
    second as a wall's tiles are."""
    view = parse_view(line.meta.get("path"), "", pc.language)
    if view is None:
        return
    await pc.hub.start()
    await move_on(line, CLOCK_ID, [pc.hub.channel(app_channel(view.app))], rate=pc.config.dashboard.push_rate)
