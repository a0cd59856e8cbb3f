"""The incident screens' words, Bahasa Indonesia first (English with ?lang=en)."""

from __future__ import annotations

from dashboard.text.words import Vocabulary, Words

# An incident's states.
STATES = Vocabulary({
    "baru": Words(id="Baru", en="New"),
    "diterima": Words(id="Diterima", en="Acknowledged"),
    "ditugaskan": Words(id="Ditugaskan", en="Assigned"),
    "ditangani": Words(id="Ditangani", en="In progress"),
    "dialihkan": Words(id="Dialihkan", en="Transferred"),
    "selesai": Words(id="Selesai", en="Resolved"),
    "ditutup": Words(id="Ditutup", en="Closed"),
    "duplikat": Words(id="Duplikat", en="Duplicate"),
    "dibuka_kembali": Words(id="Dibuka kembali", en="Reopened"),
})

# The steps of its timeline and the buttons that take them.
STEPS = Vocabulary({
    "buka": Words(id="Dibuka", en="Opened"),
    "terima": Words(id="Terima", en="Acknowledge"),
    "tugaskan": Words(id="Tugaskan ke OPD", en="Assign to agency"),
    "tangani": Words(id="Mulai tangani", en="Start work"),
    "alihkan": Words(id="Alihkan ke OPD lain", en="Transfer to another agency"),
    "selesaikan": Words(id="Selesai", en="Resolve"),
    "tutup": Words(id="Tutup (terverifikasi)", en="Close (verified)"),
    "buka_kembali": Words(id="Buka kembali", en="Reopen"),
    "gabungkan": Words(id="Gabungkan (duplikat)", en="Merge (duplicate)"),
    "catatan": Words(id="Tambah catatan", en="Add note"),
    "eskalasi": Words(id="Eskalasi", en="Escalation"),
    "alert": Words(id="Peringatan bergabung", en="Alert joined"),
    "alert_selesai": Words(id="Kondisi peringatan berakhir", en="Alert condition ended"),
    "duplikat_masuk": Words(id="Duplikat digabungkan", en="Duplicate merged in"),
})

# Its deadlines.
CLOCKS = Vocabulary({
    "acknowledge": Words(id="Diterima", en="Acknowledge"),
    "assign": Words(id="Ditugaskan", en="Assign"),
    "resolve": Words(id="Selesai", en="Resolve"),
})

# Where a deadline stands.
CLOCK_STATUS = Vocabulary({
    "ok": Words(id="berjalan", en="running"),
    "amber": Words(id="hampir habis", en="running out"),
    "red": Words(id="terlambat", en="overdue"),
    "met": Words(id="tepat waktu", en="on time"),
    "late": Words(id="terlambat dipenuhi", en="met late"),
    "dropped": Words(id="tidak berlaku", en="not applicable"),
})

# The incident pages and the wall tile.
WORDS = Vocabulary({
    "title": Words(id="Insiden", en="Incidents"),
    "state": Words(id="Status", en="State"),
    "opd": Words(id="OPD", en="Agency"),
    "category": Words(id="Kategori", en="Category"),
    "all": Words(id="Semua", en="All"),
    "filter": Words(id="Saring", en="Filter"),
    "id": Words(id="No.", en="No."),
    "subject": Words(id="Perihal", en="Subject"),
    "opened": Words(id="Dibuka", en="Opened"),
    "clocks": Words(id="Tenggat", en="Deadlines"),
    "none": Words(id="Tidak ada insiden", en="No incidents"),
    "timeline": Words(id="Linimasa", en="Timeline"),
    "who": Words(id="Oleh", en="By"),
    "when": Words(id="Waktu", en="When"),
    "what": Words(id="Langkah", en="Step"),
    "note": Words(id="Catatan", en="Note"),
    "target": Words(id="No. insiden induk (untuk duplikat)", en="Parent incident no. (for duplicates)"),
    "to_opd": Words(id="OPD tujuan", en="Target agency"),
    "actions": Words(id="Langkah yang dapat Anda ambil", en="Steps you may take"),
    "no_actions": Words(id="Tidak ada langkah untuk Anda pada status ini", en="No step for you in this state"),
    "open_new": Words(id="Buka insiden baru", en="Open a new incident"),
    "open": Words(id="Buka insiden", en="Open incident"),
    "done": Words(id="{step}: {id} sekarang {state}", en="{step}: {id} is now {state}"),
    "opened_new": Words(id="Insiden {id} dibuka", en="Incident {id} opened"),
    "refused": Words(id="Ditolak: {reason}", en="Refused: {reason}"),
    "not_now": Words(id="Tidak dapat: {reason}", en="Not possible: {reason}"),
    "unknown": Words(
        id="Insiden tidak ditemukan atau bukan milik OPD Anda",
        en="Incident not found or not your agency's"),
    "deadline": Words(id="tenggat {when}", en="due {when}"),
    "summary": Words(id="Ringkasan insiden", en="Incident summary"),
    "open_count": Words(id="Terbuka", en="Open"),
    "overdue_by_opd": Words(id="Terlambat per OPD", en="Overdue by agency"),
    "oldest": Words(id="Tertua terbuka", en="Oldest open"),
    "mtta": Words(id="MTTA minggu ini", en="MTTA this week"),
    "mttr": Words(id="MTTR minggu ini", en="MTTR this week"),
    "late": Words(id="Terlambat", en="Overdue"),
    "owner": Words(id="Penanggung jawab", en="Owner"),
    "unassigned": Words(id="belum ditugaskan", en="not assigned"),
    "source": Words(id="Asal", en="Source"),
    "alerts": Words(id="Peringatan", en="Alerts"),
    "manual": Words(id="dibuka manual", en="opened by hand"),
    "escalated": Words(id="Eskalasi: tingkat {n}", en="Escalated: level {n}"),
    "back": Words(id="Semua insiden", en="All incidents"),
    "severity": Words(id="Tingkat", en="Severity"),
})

# The public /insiden-publik page.
PUBLIC_PAGE = Vocabulary({
    "title": Words(id="Kinerja Penanganan Insiden per OPD", en="Incident Handling by Agency"),
    "opd": Words(id="OPD", en="Agency"),
    "open": Words(id="Sedang ditangani", en="In progress"),
    "resolved": Words(id="Selesai ({days} hari)", en="Resolved ({days} days)"),
    "on_time": Words(id="Tepat waktu", en="On time"),
    "none": Words(id="Belum ada data", en="No data yet"),
})

# The morning reports page /laporan.
REPORTS_PAGE = Vocabulary({
    "title": Words(id="Laporan Pagi", en="Morning Reports"),
    "none": Words(id="Belum ada laporan", en="No report yet"),
    "pdf": Words(id="Unduh PDF", en="Download PDF"),
})


# A duration's units: days, hours, minutes ('3 h 4 j' is three days and four hours in Indonesian).
SPAN_UNITS = Words(id="h j m", en="d h m")


def w(key: str, lang: str, **kw) -> str:
    return WORDS.say(key, lang, **kw)


def state_word(state: str, lang: str) -> str:
    return STATES.say_or(state, lang)


def step_word(step: str, lang: str) -> str:
    return STEPS.say_or(step, lang)


def span(seconds: float | None, lang: str) -> str:
    """A duration as people say it: `2 j 05 m`, `3 h 4 j` (days, hours, minutes)."""
    if seconds is None:
        return "—"
    m = round(seconds / 60)
    d, rest = divmod(m, 1440)
    h, mi = divmod(rest, 60)
    units = SPAN_UNITS(lang).split()
    if d:
        return f"{d} {units[0]} {h} {units[1]}"
    return f"{h} {units[1]} {mi:02d} {units[2]}" if h else f"{mi} {units[2]}"
