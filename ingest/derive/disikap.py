"""e-Disikap: price per commodity per market (unit), kab/kota and province, against its reference and the day before.

PIHPS rows (`commodity_key`, `harga`, `tanggal`, `pasar`) carry no reference price: it comes from
`alerts.price.reference`. Bapanas panel rows (`commodity_id`, `rata_rata_geometrik`, `hpp_hap`,
`status`) carry their own. Each row keeps the prices of its last days, so a revised or late day
updates the right column and the day-on-day change always compares the two newest days.
"""

from __future__ import annotations

from core.alerts import Alert
from core.regions import region_name
from ingest.derive.application import ApplicationFigures, Figures, number
from ingest.derive.ledger import Place
from ingest.derive.wording import percent, rupiah
from ingest.normalize import parse_time

DAYS_KEPT = 8  # a week of prices per row, so a Monday compares with the Friday before
PANEL_UNIT = "panel-bapanas"
ALL_MARKETS = "semua"


class DisikapFigures(ApplicationFigures):
    application = "e-disikap"

    def apply(self, record, now) -> set[Place]:
        p = record.payload
        region = self.region_of(record)
        if "harga" in p and p.get("commodity_key"):
            market = str(p.get("pasar") or ALL_MARKETS)
            place = (region, "pihps" if market == ALL_MARKETS else f"pasar-{market}")
            key, name, day, price = str(p["commodity_key"]), p.get("commodity"), p.get("tanggal"), number(p["harga"])
            reference, status, unit_name = self.rules.price.reference.get(key), None, (
                "PIHPS (rata-rata kab/kota)" if market == ALL_MARKETS else f"Pasar {market}")
        elif "rata_rata_geometrik" in p and p.get("commodity_id"):
            place = (region, PANEL_UNIT)
            key, name, day = str(p["commodity_id"]), p.get("commodity_name"), p.get("date")
            price, reference = number(p["rata_rata_geometrik"]), number(p.get("hpp_hap"))
            reference = reference or self.rules.price.reference.get(key)
            status, unit_name = p.get("status"), "Panel Harga Bapanas"
        else:
            return set()
        if price is None or not day:
            return set()
        day = parse_time(day).date().isoformat() if not _is_iso_day(str(day)) else str(day)
        row = dict(self.ledger.get(place, key) or {})
        days = dict(row.get("harga_harian") or {})
        days[day] = price
        for old in sorted(days)[:-DAYS_KEPT]:
            del days[old]
        ordered = sorted(days)
        latest = ordered[-1]
        before = days[ordered[-2]] if len(ordered) > 1 else None
        row.update(commodity=key, name=str(name or key), unit_name=unit_name, harga_harian=days, tanggal=latest,
                   harga=days[latest], harga_sebelumnya=before, tanggal_sebelumnya=ordered[-2] if before else None,
                   perubahan_pct=round((days[latest] - before) / before * 100, 2) if before else None,
                   acuan=reference, status=status if latest == day else row.get("status"))
        self.ledger.put(place, key, self.stamp(row, record))
        return {place}

    def unit_figures(self, place, rows, now) -> Figures:
        commodities = {key: {"name": r["name"], "harga": r["harga"], "tanggal": r["tanggal"], "acuan": r["acuan"],
                             "perubahan_pct": r["perubahan_pct"], "status": r.get("status"),
                             "sum": r["harga"], "n": 1,
                             "chg_sum": r["perubahan_pct"] or 0.0, "chg_n": int(r["perubahan_pct"] is not None)}
                       for key, r in rows.items()}
        name = next(iter(rows.values()))["unit_name"]
        return {"name": name, "commodities": commodities,
                "above_reference": sum(1 for c in commodities.values() if c["acuan"] and c["harga"] > c["acuan"])}

    def combine(self, parts: list[Figures]) -> Figures:
        commodities: dict[str, dict] = {}
        for part in parts:
            for key, c in part["commodities"].items():
                into = commodities.setdefault(key, {"name": c["name"], "sum": 0.0, "n": 0, "chg_sum": 0.0,
                                                    "chg_n": 0, "acuan": None, "tanggal": c["tanggal"]})
                for k in ("sum", "n", "chg_sum", "chg_n"):
                    into[k] += c[k]
                into["acuan"] = into["acuan"] or c["acuan"]
                into["tanggal"] = max(into["tanggal"], c["tanggal"])
        for c in commodities.values():
            c["harga"] = round(c["sum"] / c["n"], 2)
            c["perubahan_pct"] = round(c["chg_sum"] / c["chg_n"], 2) if c["chg_n"] else None
        return {"commodities": commodities,
                "above_reference": sum(p["above_reference"] for p in parts)}

    def unit_alerts(self, place, rows, figures, now) -> list[Alert]:
        rule = self.rules.price
        if not rule.enabled:
            return []
        where = region_name(place[0]) if place[1] in (PANEL_UNIT,
                                                      "pihps") else f"{rows_unit(rows)}, {region_name(place[0])}"
        alerts = []
        for key, r in rows.items():
            what = f"Harga {r['name'].lower()} di {where} {rupiah(r['harga'])}/kg"
            if rule.above_reference and r["acuan"] and r["harga"] > r["acuan"]:
                over = (r["harga"] - r["acuan"]) / r["acuan"] * 100
                alerts.append(self._alert(f"price_above_reference:{place[0]}:{place[1]}:{key}", place,
                                          f"{what}, {percent(over)} di atas harga acuan {rupiah(r['acuan'])}/kg"))
            change = r["perubahan_pct"]
            if rule.day_on_day_pct and change is not None and change > rule.day_on_day_pct:
                alerts.append(self._alert(f"price_day_on_day:{place[0]}:{place[1]}:{key}:{r['tanggal']}", place,
                                          f"{what}, {percent(change)} di atas kemarin"))
        return alerts

    def _alert(self, alert_id: str, place: Place, message: str) -> Alert:
        return Alert(alert_id=alert_id, kind="price", severity=self.rules.price.severity, message=message,
                     source=self.application, region=place[0], unit=place[1])

    def trend(self, figures) -> dict[str, float]:
        return {f"harga:{key}": c["harga"] for key, c in figures["commodities"].items()}


def rows_unit(rows) -> str:
    return next(iter(rows.values()))["unit_name"]


def _is_iso_day(text: str) -> bool:
    return len(text) == 10 and text[4] == "-" and text[7] == "-"
