"""The governor's morning report: at `incidents.report_at` (07.00 WIB) the figures of the day before
and of that moment, a short message in Bahasa Indonesia and a PDF, stored under the report's date.

The figures come from the same functions the walls use (core/incidents/figures.py for incidents;
the active alerts and the monitor's states for prices, beds, complaints and services), taken at the
report's own moment, so the report equals what the walls showed then. Everything in it is a function
of the stored data and that moment: made twice, it is the same, byte for byte (the PDF too).
"""

from __future__ import annotations

import io
import json
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta

from core.alerts import Alert
from core.clock import WIB
from core.config import Config
from core.incidents.figures import figures
from core.incidents.timeline import all_incidents
from core.streams import active_alerts, from_iso, incident_report_pdf, incident_reports, monitor_state, to_iso

MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember")
DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


@dataclass
class MorningReport:
    day: str  # the report's WIB date (ISO)
    at: str  # the moment its figures were taken (UTC ISO)
    opened_yesterday: int = 0
    closed_yesterday: int = 0
    open_now: int = 0
    overdue: int = 0
    overdue_by_opd: dict[str, int] = field(default_factory=dict)
    mtta_s: float | None = None
    mttr_s: float | None = None
    complaints_late: int = 0  # complaints past their LAPOR! deadlines (active complaint_sla alerts)
    services_down: int = 0
    prices_above: int = 0
    beds_above: int = 0


def report_moment(day: date, report_at: str) -> datetime:
    hh, mm = (int(x) for x in report_at.split(":"))
    return datetime.combine(day, time(hh, mm), WIB)


def _alerts_by_kind(client) -> dict[str, int]:
    out: dict[str, int] = {}
    for text in client.hgetall(active_alerts()).values():
        try:
            kind = Alert.decode(text).kind
        except (TypeError, ValueError):
            continue
        out[kind] = out.get(kind, 0) + 1
    return out


def _services_down(client, config: Config) -> int:
    states = client.hgetall(monitor_state())
    down = 0
    for sid in config.monitors.services():
        text = states.get(sid) or states.get(sid.encode()) if states else None
        try:
            down += bool(text) and json.loads(text).get("state") == "down"
        except ValueError:
            continue
    return down


def make_report(client, config: Config, day: date) -> MorningReport:
    """The report of WIB `day`, with its figures as they stand at the report's moment."""
    at = report_moment(day, config.incidents.report_at)
    start, end = datetime.combine(day - timedelta(days=1), time(0), WIB), datetime.combine(day, time(0), WIB)
    incidents = all_incidents(client)
    found = figures(incidents, config.incidents, at)
    kinds = _alerts_by_kind(client)
    return MorningReport(
        day=day.isoformat(), at=to_iso(at),
        opened_yesterday=sum(1 for i in incidents if start <= from_iso(i.opened_at) < end),
        closed_yesterday=sum(1 for i in incidents if i.state == "ditutup" and i.closed_at
                             and start <= from_iso(i.closed_at) < end),
        open_now=found.open, overdue=sum(found.overdue_by_opd.values()),
        overdue_by_opd=dict(sorted(found.overdue_by_opd.items(), key=lambda x: (-x[1], x[0]))),
        mtta_s=found.mtta_s, mttr_s=found.mttr_s, complaints_late=kinds.get("complaint_sla", 0),
        services_down=_services_down(client, config), prices_above=kinds.get("price", 0),
        beds_above=kinds.get("bed_occupancy", 0))


def _span(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    minutes = round(seconds / 60)
    return f"{minutes // 60} jam {minutes % 60} menit" if minutes >= 60 else f"{minutes} menit"


def _long_date(day: date) -> str:
    return f"{DAYS[day.weekday()]}, {day.day} {MONTHS[day.month - 1]} {day.year}"


def lines(report: MorningReport, config: Config) -> list[str]:
    """The report as lines of plain Bahasa Indonesia: the message, and the PDF's body."""
    day = date.fromisoformat(report.day)
    yesterday = day - timedelta(days=1)
    opds = config.monitors.opds
    overdue = ", ".join(f"{(opds[o].short or opds[o].name) if o in opds else (o or 'belum ditugaskan')} {n}"
                        for o, n in report.overdue_by_opd.items()) or "tidak ada"
    return [
        f"Laporan Pagi Command Center Provinsi Banten — {_long_date(day)}, "
        f"pukul {config.incidents.report_at.replace(':', '.')} WIB",
        f"Insiden kemarin ({_long_date(yesterday)}): {report.opened_yesterday} dibuka, "
        f"{report.closed_yesterday} ditutup.",
        f"Insiden terbuka: {report.open_now}; terlambat: {report.overdue} ({overdue}).",
        f"Rata-rata waktu diterima minggu ini (MTTA): {_span(report.mtta_s)}; "
        f"sampai selesai (MTTR): {_span(report.mttr_s)}.",
        f"Pengaduan melewati batas waktu layanan: {report.complaints_late}.",
        f"Layanan TI OPD mati: {report.services_down}.",
        f"Harga pangan di atas acuan: {report.prices_above}.",
        f"Rumah sakit di atas ambang keterisian: {report.beds_above}.",
    ]


def pdf(report: MorningReport, config: Config) -> bytes:
    """The report as a one-page PDF; the same report gives the same bytes (no creation date, fixed ids)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, pageCompression=0)
    canvas.setTitle(f"Laporan Pagi {report.day}")
    canvas.setAuthor(config.site.name)
    _, height = A4
    y = height - 72
    head, *body = lines(report, config)
    canvas.setFont("Helvetica-Bold", 13)
    canvas.drawString(56, y, head[:95])
    canvas.setFont("Helvetica", 11)
    y -= 32
    for line in body:
        canvas.drawString(56, y, line[:110])
        y -= 20
    canvas.setFont("Helvetica-Oblique", 8)
    canvas.drawString(56, 48, f"Angka diambil pada {report.at} (UTC), sama dengan layar dinding saat itu.")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def store(client, report: MorningReport, config: Config) -> bytes:
    """Keep a report (its figures, message and PDF) under its date; returns the PDF."""
    document = pdf(report, config)
    pipe = client.pipeline(transaction=True)
    pipe.hset(incident_reports(), report.day, json.dumps({**asdict(report), "text": "\n".join(lines(report, config))},
                                                         ensure_ascii=False))
    pipe.set(incident_report_pdf(report.day), document)
    pipe.execute()
    return document


def stored_reports(client) -> list[dict]:
    """Every kept report's figures and message, newest first."""
    out = []
    for text in client.hgetall(incident_reports()).values():
        try:
            out.append(json.loads(text))
        except ValueError:
            continue
    return sorted(out, key=lambda r: r["day"], reverse=True)
