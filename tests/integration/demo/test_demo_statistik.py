"""e-statistik: the indicator CSV and the BPS WebAPI shape, with BPS Banten's published figures."""

from __future__ import annotations

import csv
import io
import re

from core.config import load_config
from ingest.demo.statistik import INDICATORS
from tests.support.paths import ROOT


async def test_csv_has_a_header_and_the_published_figures(demo):
    response = await demo.get("e-statistik", "/statistik/indikator.csv")
    assert response.status == 200 and response.content_type == "text/csv"
    reader = csv.DictReader(io.StringIO(await response.text()))
    assert reader.fieldnames == ["kode_wilayah", "nama_wilayah", "indikator", "tahun", "periode", "nilai", "satuan"]
    # Ingest reads this CSV by the shipped config's feed: every column it names is there.
    feed = load_config(ROOT / "config.yaml").feeds["bps_indikator"]
    named = set(re.findall(r"{(\w+)}", feed.source_id)) | {feed.region} | set(feed.fields)
    assert named <= set(reader.fieldnames), named - set(reader.fieldnames)
    rows = list(reader)
    assert len(rows) == 4 * 9
    table = {(r["kode_wilayah"], r["indikator"]): float(r["nilai"]) for r in rows}
    assert table[("3600", "kemiskinan")] == 5.70
    assert table[("3600", "pengangguran")] == 6.68
    assert table[("3600", "penduduk_miskin")] == 777_490
    assert table[("3600", "garis_kemiskinan")] == 667_403
    tpt = {code: v for (code, ind), v in table.items() if ind == "pengangguran" and code != "3600"}
    assert min(tpt, key=tpt.get) == "3674" and tpt["3674"] == 6.6
    assert max(tpt, key=tpt.get) == "3604" and tpt["3604"] == 10.6
    poor = sum(v for (code, ind), v in table.items() if ind == "penduduk_miskin" and code != "3600")
    assert poor == 777_490


async def test_webapi_datacontent_keys_concatenate_the_ids(demo):
    for indicator in INDICATORS:
        path = f"/v1/api/list/model/data/domain/3600/var/{indicator.var_id}/key/abc"
        body = await demo.json("e-statistik", path)
        assert body["status"] == "OK" and body["data-availability"] == "available"
        assert body["var"][0]["val"] == indicator.var_id
        turvar, tahun = body["turvar"][0]["val"], body["tahun"][0]["val"]
        turtahun = body["turtahun"][0]["val"]
        assert body["tahun"][0]["label"] == "2024" and tahun == 124
        expected = {f"{v['val']}{indicator.var_id}{turvar}{tahun}{turtahun}" for v in body["vervar"]}
        assert set(body["datacontent"]) == expected
        assert {v["val"] for v in body["vervar"]} >= {3600, 3601, 3674}
    assert {"val": 3601, "label": "Pandeglang"} in body["vervar"]
    missing = await demo.json("e-statistik", "/v1/api/list/model/data/domain/3600/var/9999/key/abc")
    assert missing["data-availability"] == "list-not-available"
