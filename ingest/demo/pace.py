"""Each simulated agency moved on by a stretch of past time at a province's real pace, for the history.

The live demo runs fast (a complaint every few seconds) so that screens move while someone
watches; a history at that pace would be thousands of complaints a day. Here the days go as they
do in Banten: complaints arrive in office hours on working days and move a status every few
hours, hospitals fill early in the week, tenders follow their planned stage schedule, bansos
pays out in batches over the quarter, and prices are the day's market prices.
"""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta

from ingest.demo.bansos import Bansos
from ingest.demo.calendar import is_working_day
from ingest.demo.cctv import Cctv
from ingest.demo.disikap import Disikap
from ingest.demo.lpse import TENDERS_PER_YEAR, Lpse
from ingest.demo.pormas import FLOW, Pormas
from ingest.demo.service import DemoService
from ingest.demo.yankes import Yankes

# Complaints an hour: office hours of a working day, its evening, and a weekend or holiday daytime.
COMPLAINTS_PER_HOUR = {"office": 5.0, "evening": 0.6, "day_off": 1.0, "night": 0.15}


def poisson(rng: random.Random, mean: float) -> int:
    """How many events of a Poisson process with this mean fell in a stretch (Knuth's method)."""
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


class Pace:
    """Moves the seven simulated services from one moment of the past to the next."""

    def __init__(self, services: dict[str, DemoService], rng: random.Random):
        self.services = services
        self.rng = rng
        # When each open complaint moves next (the live loop counts demo seconds instead).
        self.complaint_due: dict[str, datetime] = {}
        # The complaints the service started with (its last day) are pushed with the first stretch.
        pormas: Pormas = services["e-pormas"]
        self._unsent = sorted(pormas.complaints.values(), key=lambda c: c.updated_at)
        for complaint in pormas.open.values():
            self.complaint_due[complaint.tracking_id] = complaint.updated_at + self._step_gap(complaint.updated_at)

    def move(self, start: datetime, end: datetime) -> None:
        """Everything that happens in [start, end) at the agencies."""
        hours = (end - start) / timedelta(hours=1)
        self._complaints(self.services["e-pormas"], start, end)
        self._tenders(self.services["e-lpse"], start, end)
        yankes: Yankes = self.services["e-yankes"]
        for _ in range(round(hours * 3)):  # a few wards admit or discharge every twenty minutes
            yankes.step()
        bansos: Bansos = self.services["e-bansos"]
        for _ in range(round(hours * 0.8)):  # payouts spread over the quarter
            bansos.step()
        cctv: Cctv = self.services["e-cctv"]
        for camera in cctv.cameras:
            if self.rng.random() < 0.5:
                cctv.check(camera, end - timedelta(minutes=self.rng.uniform(0, 30)))
        disikap: Disikap = self.services["e-disikap"]
        if 8 <= end.hour <= 17:
            disikap.requote()  # more markets report in during the day

    def _complaints(self, pormas: Pormas, start: datetime, end: datetime) -> None:
        for complaint in self._unsent:
            pormas.publish(complaint)
        self._unsent = []
        moments: list[tuple[datetime, object]] = []
        hour = start
        while hour < end:
            for _ in range(poisson(self.rng, COMPLAINTS_PER_HOUR[_period(hour)])):
                created = hour + timedelta(minutes=self.rng.uniform(0, 59))
                if created < end:
                    moments.append((created, None))
            hour += timedelta(hours=1)
        for created, _ in sorted(moments, key=lambda m: m[0]):
            complaint = pormas.new_complaint(created)
            self.complaint_due[complaint.tracking_id] = created + self._step_gap(created)
            pormas.publish(complaint)
        while True:
            due = [(t, tid) for tid, t in self.complaint_due.items() if t < end]
            if not due:
                break
            moment, tracking_id = min(due)
            complaint = pormas.complaints.get(tracking_id)
            if complaint is None or complaint.status == FLOW[-1]:
                self.complaint_due.pop(tracking_id)
                continue
            pormas.advance(complaint, moment)
            pormas.publish(complaint)
            if complaint.status == FLOW[-1]:
                self.complaint_due.pop(tracking_id)
            else:
                self.complaint_due[tracking_id] = moment + self._step_gap(moment)
        pormas.history_sent = True

    def _step_gap(self, moment: datetime) -> timedelta:
        """Hours until an officer moves a complaint on; a few wait days at an OPD, none move on a day off."""
        gap = timedelta(hours=1 + self.rng.expovariate(1 / 9))
        if self.rng.random() < 0.08:
            gap *= 6
        later = moment + gap
        while not is_working_day(later.date()):
            later += timedelta(days=1)
        return later - moment

    def _tenders(self, lpse: Lpse, start: datetime, end: datetime) -> None:
        # Announcements in office hours of working days; each open tender leaves a stage when its
        # schedule says.
        hour = start.replace(minute=0, second=0, microsecond=0)
        while hour < end:
            if is_working_day(hour.date()) and 8 <= hour.hour < 16:
                for _ in range(poisson(self.rng, TENDERS_PER_YEAR / 250 / 8)):
                    lpse.announce(hour + timedelta(minutes=self.rng.uniform(0, 59)))
            hour += timedelta(hours=1)
        for tender in list(lpse.tenders.values()):
            while tender.status == "Aktif" and tender.schedule[tender.stage].end < end:
                lpse.advance(tender, max(tender.schedule[tender.stage].end, start))


def _period(moment: datetime) -> str:
    if not 6 <= moment.hour < 22:
        return "night"
    if not is_working_day(moment.date()):
        return "day_off"
    return "office" if 8 <= moment.hour < 16 else "evening"
