"""The simulated province's calendar: national holidays and the weekly rhythms the agencies' data follow.

Holidays are the national ones (libur nasional) as the joint ministerial decree lists them; the
Islamic and lunar dates are the announced ones, which is all a simulation needs.
"""

from __future__ import annotations

from datetime import date, timedelta

HOLIDAYS: dict[date, str] = {date.fromisoformat(d): name for d, name in (
    ("2025-01-01", "Tahun Baru Masehi"), ("2025-01-27", "Isra Mikraj"), ("2025-01-29", "Tahun Baru Imlek"),
    ("2025-03-29", "Nyepi"), ("2025-03-31", "Idulfitri"), ("2025-04-01", "Idulfitri"),
    ("2025-04-18", "Wafat Yesus Kristus"), ("2025-05-01", "Hari Buruh"), ("2025-05-12", "Waisak"),
    ("2025-05-29", "Kenaikan Yesus Kristus"), ("2025-06-01", "Hari Lahir Pancasila"),
    ("2025-06-06", "Iduladha"), ("2025-06-27", "Tahun Baru Islam"), ("2025-08-17", "Hari Kemerdekaan"),
    ("2025-09-05", "Maulid Nabi"), ("2025-12-25", "Natal"),
    ("2026-01-01", "Tahun Baru Masehi"), ("2026-01-16", "Isra Mikraj"), ("2026-02-17", "Tahun Baru Imlek"),
    ("2026-03-19", "Nyepi"), ("2026-03-20", "Idulfitri"), ("2026-03-21", "Idulfitri"),
    ("2026-04-03", "Wafat Yesus Kristus"), ("2026-05-01", "Hari Buruh"), ("2026-05-14", "Kenaikan Yesus Kristus"),
    ("2026-05-27", "Iduladha"), ("2026-05-31", "Waisak"), ("2026-06-01", "Hari Lahir Pancasila"),
    ("2026-06-16", "Tahun Baru Islam"), ("2026-08-17", "Hari Kemerdekaan"), ("2026-08-25", "Maulid Nabi"),
    ("2026-12-25", "Natal"),
    ("2027-01-01", "Tahun Baru Masehi"), ("2027-01-05", "Isra Mikraj"), ("2027-02-06", "Tahun Baru Imlek"),
    ("2027-03-08", "Nyepi"), ("2027-03-10", "Idulfitri"), ("2027-03-11", "Idulfitri"),
    ("2027-03-26", "Wafat Yesus Kristus"), ("2027-05-01", "Hari Buruh"), ("2027-05-06", "Kenaikan Yesus Kristus"),
    ("2027-05-17", "Iduladha"), ("2027-05-20", "Waisak"), ("2027-06-01", "Hari Lahir Pancasila"),
    ("2027-06-06", "Tahun Baru Islam"), ("2027-08-15", "Maulid Nabi"), ("2027-08-17", "Hari Kemerdekaan"),
    ("2027-12-25", "Natal"),
)}
# Holidays whose run-up moves food prices most (mudik, family feasts), and how far (share of price).
FEASTS = {"Idulfitri": 0.12, "Iduladha": 0.06, "Natal": 0.06, "Tahun Baru Masehi": 0.04,
          "Tahun Baru Imlek": 0.04}
RUN_UP_DAYS = 14
# Fresh produce sells dearer at the weekend market and cheapest midweek (log change, Monday first).
WEEKLY_PRICE = (0.01, -0.015, -0.03, -0.025, 0.0, 0.035, 0.045)
# Hospitals fill early in the week (planned admissions) and empty before the weekend (share of usual).
WEEKLY_OCCUPANCY = (1.03, 1.06, 1.05, 1.01, 0.97, 0.92, 0.94)


def is_working_day(day: date) -> bool:
    """Monday to Friday, not a national holiday."""
    return day.weekday() < 5 and day not in HOLIDAYS


def feast_run_up(day: date) -> float:
    """How far demand before the next feast lifts prices on `day`: 0 far from one, its peak on the eve."""
    lift = 0.0
    for ahead in range(0, RUN_UP_DAYS + 1):
        name = HOLIDAYS.get(day + timedelta(days=ahead))
        if name in FEASTS:
            lift = max(lift, FEASTS[name] * (1 - ahead / (RUN_UP_DAYS + 1)))
    return lift
