"""The public portal at `/publik`: the seven applications as aggregates by kab/kota, no login.

Read on phones by anyone: light, one column on a narrow screen, Bahasa Indonesia (`?lang=en`).
The URL holds the view: `?wilayah=3673` picks a kab/kota (the dropdown or a tap on the map sets
it), `?peta=tempat-tidur` what the map shows. The router builds the page once per language; after
that `show` answers each change of view (and back/forward) with the summary, the tables and the
map's new colours and labels (a Patch: the shapes stay). Both read dashboard/public/figures.py, the
figures the open data downloads carry too (dashboard/public/opendata.py, mounted here): counts of people
under 5 are "<5", figures that would give one back "*". No record, no complaint text, no name of a
hospital or camera reaches this page; the only source text is a complaint category's name, and like
every text here it is sent as text. Component ids start with "pub-" (dashboard/auth/access.py).
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qs, urlencode

from dash import Input, Output, Patch, ctx, dcc, html, no_update
from plotly.utils import PlotlyJSONEncoder

from core.regions import KABKOTA, PROVINCE_CODE
from dashboard.context import PageContext
from dashboard.maps.region_map import map_figure
from dashboard.public.figures import ALL, BUILT_IN_TABLES, Column, PublicData, Row, Table, read, region_name
from dashboard.public.opendata import PREFIX as OPENDATA
from dashboard.public.opendata import mount as mount_opendata
from dashboard.text import definitions, formatting
from dashboard.text.i18n import LANGUAGES, application_name, text
from dashboard.text.words import Words
from dashboard.tiles.map import Geometry, color_for

PATH = "/publik"
REGION_CODES = (PROVINCE_CODE, *KABKOTA)
LABEL_DARK = "#0f172a"  # map labels on a light page (the wall draws them light on dark)
NO_FIGURE = "#d5dbe4"   # a kab/kota without a figure, or with a withheld one: light grey on a light page
NUMERIC = ("count", "number", "percent", "rupiah", "days")


@dataclass(frozen=True)
class MapMeasure:
    """What the map can colour the kab/kota by: a column of a public table (its marks come along)."""

    key: str
    table: str
    column: str
    higher_is_worse: bool


MEASURES: dict[str, MapMeasure] = {m.key: m for m in (
    MapMeasure("bansos", "penyaluran-bansos", "progres_pct", False),
    MapMeasure("tempat-tidur", "tempat-tidur-rumah-sakit", "keterisian_pct", True),
    MapMeasure("pengaduan", "pengaduan-masyarakat", "diterima", True),
    MapMeasure("statistik", "indikator-statistik", "nilai", True),
    MapMeasure("kamera", "kamera-cctv", "aktif_pct", False),
    MapMeasure("pengadaan", "pengadaan-tender", "hps", False),
)}
DEFAULT_MEASURE = "bansos"


# ---- the URL is the view -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicView:
    region: str = PROVINCE_CODE
    measure: str = DEFAULT_MEASURE
    lang: str = "id"

    def search(self, **change: Any) -> str:
        view = replace(self, **change)
        parts = {"wilayah": view.region if view.region != PROVINCE_CODE else None,
                 "peta": view.measure if view.measure != DEFAULT_MEASURE else None,
                 "lang": view.lang if view.lang != "id" else None}
        kept = {k: v for k, v in parts.items() if v}
        return "?" + urlencode(kept) if kept else ""

    def href(self, **change: Any) -> str:
        return PATH + self.search(**change)


def parse_view(search: str | None, default_lang: str = "id") -> PublicView:
    q = {k: v[0] for k, v in parse_qs((search or "").lstrip("?")).items() if v}
    region = q.get("wilayah", PROVINCE_CODE)
    measure = q.get("peta", DEFAULT_MEASURE)
    lang = q.get("lang", "").lower()
    return PublicView(region if region in REGION_CODES else PROVINCE_CODE,
                      measure if measure in MEASURES else DEFAULT_MEASURE,
                      lang if lang in LANGUAGES else (default_lang if default_lang in LANGUAGES else "id"))


# ---- pieces -----------------------------------------------------------------------------------------


def _cell(row: Row, col: Column, lang: str) -> html.Td:
    classes = ["pub-num" if col.kind in NUMERIC else "pub-text"]
    if col.key in row.marks:
        classes.append("is-withheld")
    return html.Td(row.text(col, lang), className=" ".join(classes), **{"data-col": col.key})


def _row_class(row: Row, selected: str) -> str:
    classes = ["is-province" if row.region == PROVINCE_CODE and row.key == ALL else "",
               "is-selected" if row.region == selected != PROVINCE_CODE and row.key == ALL else ""]
    return " ".join(c for c in classes if c)


def figure_table(rows: list[Row], columns: tuple[Column, ...], lang: str, first: str, table_id: str,
                 selected: str = PROVINCE_CODE, by_region: bool = True) -> html.Div:
    """A table that scrolls sideways in its box on a phone: one row per kab/kota (or commodity,
    programme, category), the figures as text. Every name is a child string: never HTML."""
    head = html.Thead(html.Tr([html.Th(first, className="pub-text")] + [
        html.Th(c.name(lang), className="pub-num" if c.kind in NUMERIC else "pub-text") for c in columns]))
    body = html.Tbody([
        html.Tr([html.Th(r.region_name if by_region else r.name, scope="row", className="pub-text")]
                + [_cell(r, c, lang) for c in columns],
                className=_row_class(r, selected), **{"data-region": r.region, "data-key": r.key})
        for r in rows])
    return html.Div(html.Table([head, body], className="pub-table", id=table_id), className="pub-table-wrap")


def region_table(table: Table, view: PublicView, table_id: str, columns: tuple[Column, ...] | None = None):
    """The province and each kab/kota, the chosen one highlighted."""
    return figure_table(table.region_rows(), columns or table.columns, view.lang,
                        text("pub_region_col", view.lang), table_id, view.region)


def keyed_table(table: Table, rows: list[Row], view: PublicView, table_id: str):
    """Rows of the second dimension (commodities, programmes, categories), or a note that there are none."""
    if not rows:
        return empty(view.lang)
    return figure_table(rows, table.columns, view.lang, table.dimension_label(view.lang), table_id,
                        by_region=False)


def downloads(key: str, lang: str) -> html.Div:
    return html.Div([html.A(text("pub_download", lang), href=f"{OPENDATA}{key}.csv", className="pub-button"),
                     html.A(text("pub_metadata", lang), href=f"{OPENDATA}{key}.json", className="pub-link")],
                    className="pub-downloads")


def section(key: str, title: str, desc: str, body: list, lang: str, dataset: str) -> html.Section:
    return html.Section([html.H2(title), html.P(desc, className="pub-desc"), *body, downloads(dataset, lang)],
                        className="pub-section", id=f"pub-sec-{key}")


def empty(lang: str) -> html.P:
    return html.P(text("pub_no_data", lang), className="pub-empty")


@lru_cache(maxsize=4)
def _blank_map(geometry: Geometry) -> str:
    """The map without figures, as JSON: built once per geometry (Plotly's figure building costs ~40 ms;
    a copy of this, ~1 ms). The shapes come first, then the labels, then the application page's
    invisible layer at the labels that takes the taps (customdata = BPS code)."""
    fig = map_figure(geometry)
    labels = fig["data"][len(geometry.regions) if geometry.mode == "polygons" else 1]
    labels["textfont"]["color"] = LABEL_DARK
    fig["layout"]["hovermode"], fig["layout"]["hoverdistance"] = "closest", -1
    return json.dumps(fig, cls=PlotlyJSONEncoder)


def map_paint(geometry: Geometry, data: PublicData, view: PublicView, target) -> None:
    """Colour the kab/kota by the chosen figure and label each with it, into `target`'s data (a figure
    dict, or a Patch of the page's figure: only colours and labels travel then, not the shapes).
    A withheld figure gets no colour either, and its label says '<5' or '*'."""
    measure = MEASURES[view.measure]
    table = data.tables[measure.table]
    col = table.column(measure.column)
    rows = {r.region: r for r in table.rows if r.key == ALL}
    if table.dimension:  # one row per indicator: the map shows the first indicator's
        first = sorted({r.key for r in table.rows})[:1]
        rows = {r.region: r for r in table.rows if first and r.key == first[0]}
    values = {c: (None if col.key in r.marks else r.values.get(col.key))
              for c, r in rows.items() if c in KABKOTA}
    known = [v for v in values.values() if v is not None]
    low, high = (min(known), max(known)) if known else (0.0, 0.0)
    colors, labels = [], []
    for region in geometry.regions:
        row, value = rows.get(region.code), values.get(region.code)
        colors.append(NO_FIGURE if value is None else color_for(value, low, high, measure.higher_is_worse))
        name = f"▶ {region.name}" if region.code == view.region else region.name
        labels.append(f"<b>{name}</b><br>{row.text(col, view.lang) if row else formatting.DASH}")
    traces = target["data"]
    if geometry.mode == "polygons":  # as tiles/map.py lays it out: a shape per kab/kota, then the labels
        for i, region in enumerate(geometry.regions):
            chosen = region.code == view.region
            traces[i]["fillcolor"] = colors[i]
            traces[i]["line"] = {"color": LABEL_DARK if chosen else "#ffffff", "width": 3 if chosen else 1.5}
        traces[len(geometry.regions)]["text"] = labels
    else:
        traces[0]["textfont"]["color"] = colors
        traces[1]["text"] = labels


def map_figure_for(geometry: Geometry, data: PublicData, view: PublicView) -> dict:
    fig = json.loads(_blank_map(geometry))
    map_paint(geometry, data, view, fig)
    return fig


def profile(data: PublicData, view: PublicView) -> html.Section | None:
    """The chosen kab/kota across the applications, as cards."""
    if view.region == PROVINCE_CODE:
        return None
    lang = view.lang
    cards = []
    for key, column, word in PROFILE:
        table = data.tables[key]
        row, col = table.row(view.region), table.column(column)
        cards.append(card(text(word, lang), row.text(col, lang) if row else formatting.DASH,
                          definitions.figure(table.application, column), lang,
                          **{"data-table": key, "data-col": column}))
    statistics = data.tables["indikator-statistik"]
    for row in statistics.rows_in(view.region)[:2]:
        cards.append(card(row.name, row.text(statistics.column("nilai"), lang)))
    return html.Section([html.H2(text("pub_profile", lang, name=region_name(view.region))),
                         html.Div(cards, className="pub-cards")], className="pub-section pub-profile",
                        id="pub-profile")


# The figures a kab/kota's summary shows: (table, column, its words in dashboard/public/words.py)
PROFILE = (("pengaduan-masyarakat", "diterima", "pub_map_pengaduan"),
           ("pengaduan-masyarakat", "tepat_waktu_pct", "pub_card_in_time"),
           ("penyaluran-bansos", "progres_pct", "pub_map_bansos"),
           ("tempat-tidur-rumah-sakit", "keterisian_pct", "pub_map_tempat_tidur"),
           ("pengadaan-tender", "paket", "pub_card_tenders"),
           ("kamera-cctv", "aktif", "pub_map_kamera"))


def card(label: str, value: str, definition: definitions.Definition | None = None, lang: str = "id",
         **attrs) -> html.Div:
    """One figure of a kab/kota; its label gives the figure's definition on hover and tap."""
    return html.Div([html.Div(label, className="pub-card-label has-definition",
                              **definitions.hover(definition, lang)),
                     html.Div(value, className="pub-card-value")], className="pub-card", **attrs)


def statistics_wide(table: Table, view: PublicView):
    """Indicators side by side: one row per region, one column per indicator (its unit in the heading)."""
    indicators: dict[str, str] = {}
    for r in table.rows:
        unit = r.values.get("satuan")
        indicators.setdefault(r.key, f"{r.name} ({unit})" if unit else r.name)
    if not indicators:
        return empty(view.lang)
    columns = tuple(Column(k, Words.same(label), "number") for k, label in sorted(indicators.items()))
    rows = [Row(code, ALL, region_name(code), {r.key: r.values.get("nilai") for r in table.rows_in(code)})
            for code in REGION_CODES if table.rows_in(code)]
    return figure_table(rows, columns, view.lang, text("pub_region_col", view.lang), "pub-statistics",
                        view.region)


# ---- the page ---------------------------------------------------------------------------------------


def header(view: PublicView, site_name: str) -> html.Header:
    lang = view.lang
    other, other_name = ("en", "English") if lang != "en" else ("id", "Bahasa Indonesia")
    return html.Header([
        html.Div([html.Div(site_name, className="pub-kicker"), html.H1(text("pub_title", lang)),
                  html.P(text("pub_subtitle", lang), className="pub-subtitle")], className="pub-brand"),
        # A full load for the other language: the page is built once per language.
        html.Nav([html.A(other_name, href=view.href(lang=other), className="pub-link", id="pub-lang"),
                  html.A(text("pub_opendata", lang), href=opendata_href(lang), className="pub-button",
                         id="pub-opendata-link")], className="pub-nav"),
    ], className="pub-header")


def opendata_href(lang: str) -> str:
    return OPENDATA + ("?lang=en" if lang == "en" else "")


def controls(view: PublicView, data: PublicData) -> html.Section:
    lang = view.lang
    options = [{"label": text("pub_whole_province", lang), "value": PROVINCE_CODE}] + [
        {"label": k.name, "value": code} for code, k in KABKOTA.items()]
    return html.Section([
        html.Label(text("pub_region", lang), htmlFor="pub-region", className="pub-label"),
        dcc.Dropdown(id="pub-region", options=options, value=view.region, clearable=False, searchable=False,
                     className="pub-select"),
        html.P(updated_text(data, lang), className="pub-updated", id="pub-updated"),
    ], className="pub-controls")


def updated_text(data: PublicData, lang: str) -> str:
    return text("pub_updated", lang, when=formatting.wib_datetime(data.updated, lang)) if data.updated else ""


def map_section(view: PublicView, data: PublicData, geometry: Geometry) -> html.Section:
    lang = view.lang
    return html.Section([
        html.H2(text("pub_map", lang)),
        dcc.RadioItems(id="pub-measure", value=view.measure, className="pub-measures",
                       inputClassName="pub-measure-input", labelClassName="pub-measure",
                       options=[{"label": text(f"pub_map_{k.replace('-', '_')}", lang), "value": k}
                                for k in MEASURES]),
        dcc.Graph(id="pub-map", figure=map_figure_for(geometry, data, view), className="pub-map",
                  config=formatting.plot_config(lang, displayModeBar=False, scrollZoom=False, responsive=True)),
        html.P(text("pub_map_hint", lang), className="pub-desc"),
    ], className="pub-section", id="pub-sec-map")


def application_sections(view: PublicView, data: PublicData) -> list[html.Section]:
    """One section per application: its table(s) by kab/kota and its downloads."""
    lang, t = view.lang, data.tables
    here = region_name(view.region)
    prices, complaints, bansos = t["harga-pangan"], t["pengaduan-masyarakat"], t["penyaluran-bansos"]
    categories = t["pengaduan-per-kategori"]
    start, end = complaints.period or (None, None)
    complaints_desc = text("pub_complaints_desc", lang, start=start.strftime("%d/%m/%Y") if start else "",
                           end=end.strftime("%d/%m/%Y") if end else "",
                           days=formatting.count(data.resolution_days, lang))
    return [
        section("harga", text("pub_prices", lang), text("pub_prices_desc", lang, name=here),
                [keyed_table(prices, prices.rows_in(view.region), view, "pub-prices")], lang, prices.key),
        section("pengaduan", text("pub_complaints", lang), complaints_desc,
                [region_table(complaints, view, "pub-complaints"), html.H3(text("pub_categories", lang)),
                 keyed_table(categories, categories.rows, view, "pub-categories")], lang, complaints.key),
        section("bansos", text("pub_bansos", lang), text("pub_bansos_desc", lang),
                [region_table(bansos, view, "pub-bansos", bansos.columns[1:]),  # all but the stage
                 html.H3(text("pub_bansos_programmes", lang, name=here)),
                 keyed_table(bansos, bansos.rows_in(view.region), view, "pub-programmes")], lang, bansos.key),
        section("tempat-tidur", text("pub_beds", lang), text("pub_beds_desc", lang),
                [region_table(t["tempat-tidur-rumah-sakit"], view, "pub-beds")], lang,
                "tempat-tidur-rumah-sakit"),
        section("pengadaan", text("pub_procurement", lang), text("pub_procurement_desc", lang),
                [region_table(t["pengadaan-tender"], view, "pub-procurement")], lang, "pengadaan-tender"),
        section("statistik", text("pub_statistics", lang), text("pub_statistics_desc", lang),
                [statistics_wide(t["indikator-statistik"], view)], lang, "indikator-statistik"),
        section("kamera", text("pub_cameras", lang), text("pub_cameras_desc", lang),
                [region_table(t["kamera-cctv"], view, "pub-cameras")], lang, "kamera-cctv"),
    ] + [
        # Any application registered beside the seven: its page spec's region table, as open data too.
        section(f"app-{table.application}", application_name(table.application, lang),
                text("pub_other_desc", lang, name=application_name(table.application, lang)),
                [region_table(table, view, f"pub-{table.key}")], lang, table.key)
        for table in t.values() if table.application not in BUILT_IN_TABLES
    ]


def layout(view: PublicView, data: PublicData, geometry: Geometry, site_name: str) -> html.Div:
    lang = view.lang
    return html.Div(
        [
            # "callback-nav": a search set by `show` reaches the router's Location too (which keeps the page).
            dcc.Location(id="pub-loc", refresh="callback-nav", pathname=PATH, search=view.search()),
            header(view, site_name),
            controls(view, data),
            html.P(text("pub_note", lang), className="pub-note", id="pub-note"),
            html.Div(profile(data, view), id="pub-summary"),
            map_section(view, data, geometry),
            html.Div(application_sections(view, data), id="pub-content"),
            html.Footer([html.P(text("pub_licence", lang)),
                         html.A(text("pub_opendata", lang), href=opendata_href(lang))],
                        className="pub-footer"),
        ],
        id="pub-page", className="pub-page", lang=lang,
        **{"data-wilayah": view.region, "data-peta": view.measure},
    )


# ---- the page module ---------------------------------------------------------------------------------


async def route(pathname: str, search: str, meta: dict | None, pc: PageContext):
    """The whole page for the URL's view, from one read (off the event loop: the client is sync). Built
    once per language: a new kab/kota or map figure is `show`'s, which sends only what changes."""
    view = parse_view(search, pc.language)
    if meta and meta.get("page") == "public" and meta.get("lang") == view.lang:
        return no_update, no_update
    data = await asyncio.to_thread(read, pc.redis, pc.config)
    meta = {"wall": None, "page": "public", "lang": view.lang}
    return layout(view, data, pc.geometry, pc.config.site.name), meta


SHOWN = [Output("pub-loc", "search"), Output("pub-region", "value"), Output("pub-measure", "value"),
         Output("pub-page", "data-wilayah"), Output("pub-page", "data-peta"),
         Output("pub-updated", "children"), Output("pub-summary", "children"),
         Output("pub-content", "children"), Output("pub-map", "figure")]


def register(app, pc: PageContext) -> None:
    """One callback for every change of view, and the open data routes."""

    @app.callback(*SHOWN, Input("pub-region", "value"), Input("pub-map", "clickData"),
                  Input("pub-measure", "value"), Input("pub-loc", "search"), prevent_initial_call=True)
    async def show(region, map_click, measure, search):
        """The dropdown, a tap on the map or the map's figure choice changes the URL; the URL (also on
        back and forward) says what the page shows. The map gets new colours and labels only."""
        view = parse_view(search, pc.language)
        trigger = ctx.triggered_id
        if trigger == "pub-region" and region in REGION_CODES:
            view = replace(view, region=region)
        elif trigger == "pub-map" and map_click:
            code = ((map_click.get("points") or [{}])[0]).get("customdata")
            if code in KABKOTA:
                view = replace(view, region=code)
        elif trigger == "pub-measure" and measure in MEASURES:
            view = replace(view, measure=measure)
        data = await asyncio.to_thread(read, pc.redis, pc.config)
        figure = Patch()
        map_paint(pc.geometry, data, view, figure)
        new = view.search()
        return [new if new != (search or "") else no_update, view.region, view.measure, view.region,
                view.measure, updated_text(data, view.lang), profile(data, view),
                application_sections(view, data), figure]

    mount_opendata(app.server, pc)
