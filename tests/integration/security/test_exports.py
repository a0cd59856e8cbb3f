"""Exports: cells that begin with = + - @ are written as text, never as formulas (CSV, XLSX, open
data), and a file is audited by the callback that makes it, also when nobody clicked a button."""

from __future__ import annotations

import base64
import csv
import io
import json

import openpyxl

from core.clock import utc_now
from core.streams import app_record_times, app_records, app_regions, app_units, to_iso
from dashboard.analyst.page import csv_text as analyst_csv
from dashboard.analyst.page import excel_bytes as analyst_excel
from dashboard.safety.export_cells import neutralise
from tests.support.access import audit_entries, callback_payload, post_callback

FORMULAS = ('=HYPERLINK("http://evil.example","klik")', "+62-cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
            "@SUM(1+1)*cmd|' /C calc'!A0")


def _seed(r):
    now = to_iso(utc_now())
    r.hset(app_regions("e-pormas"), "3673", json.dumps({"updated": now}))
    r.hset(app_units("e-pormas", "3673"), "Infrastruktur", json.dumps({"name": "Infrastruktur", "updated": now}))
    for i, text in enumerate(FORMULAS):
        r.hset(app_records("e-pormas", "3673", "Infrastruktur"), f"LPR-{i}",
               json.dumps({"judul": text, "status": "diterima", "_t": now}))
        # The page reads a unit's records through their time index, as derive keeps it.
        r.zadd(app_record_times("e-pormas", "3673", "Infrastruktur"), {f"LPR-{i}": utc_now().timestamp()})


def _download(answer) -> tuple[str, bytes]:
    data = answer.json()["response"]["app-download"]["data"]
    content = base64.b64decode(data["content"]) if data.get("base64") else data["content"].encode()
    return data["filename"], content


def _export(app, base, cookie, kind: str):
    key = "app-download.data"
    payload = callback_payload(key, app.callback_map[key], "/app/e-pormas")
    payload["inputs"][0 if kind == "csv" else 1]["value"] = 1
    payload["state"][1]["value"] = "?wilayah=3673&unit=Infrastruktur"
    payload["changedPropIds"] = [f"app-{kind}.n_clicks"]
    return post_callback(base, payload, cookie)


def test_application_exports_write_formulas_as_text_and_are_audited_where_made(served, sessions, r):
    app, base = served
    _seed(r)
    name, content = _download(_export(app, base, sessions["operator"], "csv"))
    assert name == "e-pormas-3673-Infrastruktur.csv"
    cells = [c for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for c in row]
    for text in FORMULAS:
        assert "'" + text in cells and text not in cells
    name, content = _download(_export(app, base, sessions["operator"], "xlsx"))
    values = [c for row in openpyxl.load_workbook(io.BytesIO(content)).active.values for c in row if c]
    for text in FORMULAS:
        assert "'" + text in values
    exports = audit_entries(r, "export")
    assert [(e["who"], e["detail"]) for e in exports] == [("uji-operator", "csv"), ("uji-operator", "xlsx")]
    assert exports[0]["target"] == "/app/e-pormas?wilayah=3673&unit=Infrastruktur"


def test_the_analysts_and_open_data_files_neutralise_cells_too():
    rows = [["2026-11-28", text] for text in FORMULAS]
    written = list(csv.reader(io.StringIO(analyst_csv(["hari", "=nilai"], rows))))
    assert written[0][1] == "'=nilai" and all(r[1].startswith("'") for r in written[1:])
    book = openpyxl.load_workbook(io.BytesIO(analyst_excel(["hari", "nilai"], ["day", "text"], rows, "uji")))
    assert all(str(r[1]).startswith("'") for r in list(book.active.values)[1:])
    # Numbers stay numbers, a plain negative or +62 number stays as written.
    assert neutralise(-5) == -5 and neutralise("-5,5") == "-5,5" and neutralise("+62") == "+62"
    assert neutralise("=1+1") == "'=1+1" and neutralise("\t=1") == "'\t=1"
