"""e-statistik: BPS indicators of Banten as a CSV download and in the BPS WebAPI's JSON shape."""

from __future__ import annotations

import asyncio
import csv
import io
from dataclasses import dataclass

from aiohttp import web

from core import regions
from core.regions import PROVINCE_CODE

PROVINCE_DOMAIN = "3600"
YEAR = 2024


@dataclass(frozen=True)
class Indicator:
    name: str  # the `indikator` column
    var_id: int  # the BPS WebAPI variable id
    label: str
    unit: str  # the `satuan` column
    period: str  # the `periode` column (survey round: Susenas September, Sakernas Agustus)
    period_id: int  # turtahun of that round in the WebAPI
    decimals: int


INDICATORS = (
    Indicator("kemiskinan", 519, "Persentase Penduduk Miskin (P0) Menurut Kabupaten/Kota", "persen",
              "September", 2, 2),
    Indicator("penduduk_miskin", 520, "Jumlah Penduduk Miskin Menurut Kabupaten/Kota", "jiwa",
              "September", 2, 0),
    Indicator("garis_kemiskinan", 521, "Garis Kemiskinan Menurut Kabupaten/Kota", "rupiah/kapita/bulan",
              "September", 2, 0),
    Indicator("pengangguran", 543, "Tingkat Pengangguran Terbuka (TPT) Menurut Kabupaten/Kota", "persen",
              "Agustus", 2, 2),
)

# Published figures (province: BPS Banten Sep 2024 / Aug 2024); the kab/kota poor populations
# are scaled so they add up to the province's 777,490 people.
VALUES: dict[str, dict[str, float]] = {
    PROVINCE_DOMAIN: dict(kemiskinan=5.70, penduduk_miskin=777_490, garis_kemiskinan=667_403,
                          pengangguran=6.68),
    "3601": dict(kemiskinan=9.03, penduduk_miskin=135_547, garis_kemiskinan=434_527, pengangguran=8.28),
    "3602": dict(kemiskinan=8.75, penduduk_miskin=139_788, garis_kemiskinan=441_083, pengangguran=7.01),
    "3603": dict(kemiskinan=6.44, penduduk_miskin=228_557, garis_kemiskinan=605_912, pengangguran=7.36),
    "3604": dict(kemiskinan=4.37, penduduk_miskin=81_060, garis_kemiskinan=512_346, pengangguran=10.60),
    "3671": dict(kemiskinan=4.67, penduduk_miskin=95_637, garis_kemiskinan=713_221, pengangguran=6.87),
    "3672": dict(kemiskinan=3.43, penduduk_miskin=17_285, garis_kemiskinan=689_140, pengangguran=8.64),
    "3673": dict(kemiskinan=5.48, penduduk_miskin=43_480, garis_kemiskinan=583_967, pengangguran=7.63),
    "3674": dict(kemiskinan=2.39, penduduk_miskin=36_136, garis_kemiskinan=796_402, pengangguran=6.60),
}

# Labels as BPS writes them in `vervar` (no "Kabupaten", "Kota" kept).
BPS_LABELS = {PROVINCE_DOMAIN: "Banten", "3601": "Pandeglang", "3602": "Lebak", "3603": "Tangerang",
              "3604": "Serang", "3671": "Kota Tangerang", "3672": "Kota Cilegon", "3673": "Kota Serang",
              "3674": "Kota Tangerang Selatan"}
CSV_COLUMNS = ("kode_wilayah", "nama_wilayah", "indikator", "tahun", "periode", "nilai", "satuan")


def region_name(code: str) -> str:
    """The name of a region in the CSV: the province or the full kab/kota name."""
    return regions.region_name(PROVINCE_CODE if code == PROVINCE_DOMAIN else code)


def format_value(indicator: Indicator, value: float) -> str:
    """A value as the CSV writes it: a plain decimal point, no thousands separator."""
    return f"{value:.{indicator.decimals}f}"


class Statistik:
    """BPS figures; they change once a year, so this service serves a fixed release."""

    application = "e-statistik"

    def routes(self) -> list[web.RouteDef]:
        """The CSV download and the WebAPI variable query."""
        return [
            web.get("/statistik/indikator.csv", self._csv),
            web.get("/v1/api/list/model/data/domain/{domain}/var/{var_id}/key/{key}", self._webapi),
        ]

    async def run(self, stop: asyncio.Event) -> None:
        """Nothing to evolve: a new release comes once a year."""
        await stop.wait()

    def csv_text(self) -> str:
        """The indicator table as CSV with a header row, province first."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for indicator in INDICATORS:
            for code, values in VALUES.items():
                writer.writerow([code, region_name(code), indicator.name, YEAR, indicator.period,
                                 format_value(indicator, values[indicator.name]), indicator.unit])
        return out.getvalue()

    def webapi(self, domain: str, var_id: str) -> dict:
        """One variable in the BPS WebAPI `list/model/data` shape."""
        indicator = next((i for i in INDICATORS if str(i.var_id) == var_id), None)
        if domain != PROVINCE_DOMAIN or indicator is None:
            return {"status": "OK", "data-availability": "list-not-available"}
        year_id, turvar = YEAR - 1900, 0  # BPS numbers years from 1900 (2024 -> 124)
        return {
            "status": "OK",
            "data-availability": "available",
            "last_update": f"{YEAR + 1}-01-15",
            "subject": [{"val": 23, "label": "Kemiskinan dan Ketimpangan"}],
            "var": [{"val": indicator.var_id, "label": indicator.label, "unit": indicator.unit.capitalize(),
                     "subj": "Kemiskinan dan Ketimpangan", "def": "", "decimal": indicator.decimals,
                     "note": ""}],
            "turvar": [{"val": turvar, "label": "Tidak ada"}],
            "labelvervar": "Kabupaten/Kota",
            "vervar": [{"val": int(code), "label": BPS_LABELS[code]} for code in VALUES],
            "tahun": [{"val": year_id, "label": str(YEAR)}],
            "turtahun": [{"val": indicator.period_id, "label": indicator.period}],
            "datacontent": {
                f"{code}{indicator.var_id}{turvar}{year_id}{indicator.period_id}": values[indicator.name]
                for code, values in VALUES.items()
            },
        }

    async def _csv(self, request: web.Request) -> web.Response:
        return web.Response(text=self.csv_text(), content_type="text/csv", charset="utf-8",
                            headers={"Content-Disposition": 'attachment; filename="indikator.csv"'})

    async def _webapi(self, request: web.Request) -> web.Response:
        return web.json_response(self.webapi(request.match_info["domain"], request.match_info["var_id"]))
