"""e-bansos: PKH and BPNT disbursement per kab/kota and quarter (tahap), like SIKS-NG's summary."""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from aiohttp import web

from core.clock import WIB
from core.regions import KABKOTA
from ingest.demo.clock import DemoClock, iso
from ingest.demo.service import repeat
from ingest.demo.statistik import VALUES as STATISTICS

PROGRAMMES = ("PKH", "BPNT")
# Households (KPM) in the province per programme, split by each kab/kota's poor population.
PROVINCE_KPM = {"PKH": 265_000, "BPNT": 470_000}
# Rupiah per household per tahap: BPNT is Rp 200 k a month paid by quarter; PKH is the average
# of its components (pregnancy, children at school, elderly, disability) over a quarter.
PER_KPM = {"PKH": 712_500, "BPNT": 600_000}
STATUSES = ("SPM", "SP2D", "Sudah Tersalur")


@dataclass
class Disbursement:
    """One programme's tahap in one kab/kota: how many households were to be paid and were paid."""

    kode_kab: str
    program: str
    tahun: int
    tahap: int
    target_kpm: int
    kpm_tersalur: int
    status: str
    # Share of the target paid when the tahap closes: some households cannot be reached.
    final_rate: float
    per_kpm: int
    updated_at: datetime

    def record(self) -> dict:
        """The row as the SIKS-NG summary API gives it."""
        return {
            "kode_kab": self.kode_kab,
            "nama_kab": KABKOTA[self.kode_kab].name,
            "program": self.program,
            "tahun": self.tahun,
            "tahap": self.tahap,
            "status": self.status,
            "target_kpm": self.target_kpm,
            "kpm_tersalur": self.kpm_tersalur,
            "nominal": self.kpm_tersalur * self.per_kpm,
            "updated_at": iso(self.updated_at),
        }


def quarter_bounds(year: int, tahap: int) -> tuple[datetime, datetime]:
    """Start and end (exclusive) of a tahap: tahap 1 is January to March, and so on."""
    start = datetime(year, 3 * tahap - 2, 1, tzinfo=WIB)
    end = datetime(year + 1, 1, 1, tzinfo=WIB) if tahap == 4 else datetime(year, 3 * tahap + 1, 1, tzinfo=WIB)
    return start, end


class Bansos:
    """Disbursement rows for every tahap so far this year; the current tahap pays out over time."""

    application = "e-bansos"

    def __init__(self, clock: DemoClock, rng: random.Random):
        self.clock = clock
        self.rng = rng
        self.rows: dict[tuple[str, str, int], Disbursement] = {}
        self.year = 0
        self._catch_up(clock.now())

    def routes(self) -> list[web.RouteDef]:
        """The disbursement summary."""
        return [web.get("/api/v1/penyaluran", self._penyaluran)]

    async def run(self, stop: asyncio.Event) -> None:
        """Pay out a few more households every 20-60 demo seconds."""
        await repeat(self.clock, stop, lambda: self.rng.uniform(20, 60), self.step)

    def records(self) -> list[dict]:
        """Every row, ordered by kab/kota, programme and tahap."""
        return [self.rows[key].record() for key in sorted(self.rows)]

    def step(self) -> None:
        """Move one or two unfinished rows of the current tahap along SPM -> SP2D -> Sudah Tersalur."""
        now = self.clock.now()
        self._catch_up(now)
        open_rows = [r for r in self.rows.values() if r.status != "Sudah Tersalur"]
        for row in self.rng.sample(open_rows, min(len(open_rows), self.rng.randint(1, 2))):
            if row.status == "SPM":
                row.status = "SP2D"  # funds released to the paying bank / PT Pos; payouts start next
            else:
                # Payouts come in batches of a few hundred households.
                paid = row.kpm_tersalur + round(row.target_kpm * self.rng.uniform(0.002, 0.01))
                final = round(row.target_kpm * row.final_rate)
                row.kpm_tersalur = min(paid, final)
                if row.kpm_tersalur >= final:
                    row.status = "Sudah Tersalur"
            row.updated_at = now

    def _catch_up(self, now: datetime) -> None:
        """Create the rows of every tahap up to `now`; a new year starts from tahap 1 again."""
        if now.year != self.year:
            self.rows.clear()
            self.year = now.year
        current = (now.month - 1) // 3 + 1
        for tahap in range(1, current + 1):
            for code in KABKOTA:
                for programme in PROGRAMMES:
                    if (code, programme, tahap) not in self.rows:
                        self.rows[(code, programme, tahap)] = self._new_row(code, programme, tahap, now,
                                                                            done=tahap < current)

    def _new_row(self, code: str, programme: str, tahap: int, now: datetime, done: bool) -> Disbursement:
        rng = self.rng
        poor_share = STATISTICS[code]["penduduk_miskin"] / STATISTICS["3600"]["penduduk_miskin"]
        # Targets move a little between tahap as the social registry (DTSEN) is updated.
        target = round(PROVINCE_KPM[programme] * poor_share * rng.uniform(0.985, 1.015))
        # PKH's average differs by kab/kota with the mix of components; BPNT is a flat amount.
        spread = rng.uniform(0.96, 1.04) if programme == "PKH" else 1.0
        per_kpm = int(round(PER_KPM[programme] * spread, -2))
        final_rate = rng.uniform(0.965, 0.995)
        start, end = quarter_bounds(now.year, tahap)
        if done:
            # Closed on a working afternoon a few weeks before the quarter ended.
            closed = (end - timedelta(days=rng.randint(3, 25))).replace(hour=rng.randint(9, 16),
                                                                       minute=rng.randint(0, 59))
            return Disbursement(code, programme, now.year, tahap, target, round(target * final_rate),
                                "Sudah Tersalur", final_rate, per_kpm, closed)
        # The current tahap: payouts have gone about as far as the quarter has.
        elapsed = (now - start) / (end - start)
        progress = min(max(elapsed * 1.2 + rng.gauss(0, 0.15), 0.0), final_rate)
        if progress < 0.05:
            status, paid = "SPM", 0
        elif progress >= final_rate:
            status, paid = "Sudah Tersalur", round(target * final_rate)
        else:
            status, paid = "SP2D", round(target * progress)
        updated = max(start, now - timedelta(minutes=rng.uniform(5, 360)))
        return Disbursement(code, programme, now.year, tahap, target, paid, status, final_rate, per_kpm,
                            updated)

    async def _penyaluran(self, request: web.Request) -> web.Response:
        return web.json_response({"data": self.records()})
