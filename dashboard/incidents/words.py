"""The incident screens' words, Bahasa Indonesia first (English with ?lang=en)."""

from __future__ import annotations

STATES = {
    "id": {"baru": "Baru", "diterima": "Diterima", "ditugaskan": "Ditugaskan", "ditangani": "Ditangani",
           "dialihkan": "Dialihkan", "selesai": "Selesai", "ditutup": "Ditutup", "duplikat": "Duplikat",
           "dibuka_kembali": "Dibuka kembali"},
    "en": {"baru": "New", "diterima": "Acknowledged", "ditugaskan": "Assigned", "ditangani": "In progress",
           "dialihkan": "Transferred", "selesai": "Resolved", "ditutup": "Closed", "duplikat": "Duplicate",
           "dibuka_kembali": "Reopened"},
}
STEPS = {
    "id": {"buka": "Dibuka", "terima": "Terima", "tugaskan": "Tugaskan ke OPD", "tangani": "Mulai tangani",
           "alihkan": "Alihkan ke OPD lain", "selesaikan": "Selesai", "tutup": "Tutup (terverifikasi)",
           "buka_kembali": "Buka kembali", "gabungkan": "Gabungkan (duplikat)", "catatan": "Tambah catatan",
           "eskalasi": "Eskalasi", "alert": "Peringatan bergabung", "alert_selesai": "Kondisi peringatan berakhir",
           "duplikat_masuk": "Duplikat digabungkan"},
    "en": {"buka": "Opened", "terima": "Acknowledge", "tugaskan": "Assign to agency", "tangani": "Start work",
           "alihkan": "Transfer to another agency", "selesaikan": "Resolve", "tutup": "Close (verified)",
           "buka_kembali": "Reopen", "gabungkan": "Merge (duplicate)", "catatan": "Add note",
           "eskalasi": "Escalation", "alert": "Alert joined", "alert_selesai": "Alert condition ended",
           "duplikat_masuk": "Duplicate merged in"},
}
CLOCKS = {"id": {"acknowledge": "Diterima", "assign": "Ditugaskan", "resolve": "Selesai"},
          "en": {"acknowledge": "Acknowledge", "assign": "Assign", "resolve": "Resolve"}}
CLOCK_STATUS = {"id": {"ok": "berjalan", "amber": "hampir habis", "red": "terlambat", "met": "tepat waktu",
                       "late": "terlambat dipenuhi", "dropped": "tidak berlaku"},
                "en": {"ok": "running", "amber": "running out", "red": "overdue", "met": "on time",
                       "late": "met late", "dropped": "not applicable"}}
WORDS = {
    "id": {"title": "Insiden", "state": "Status", "opd": "OPD", "category": "Kategori", "all": "Semua",
           "filter": "Saring", "id": "No.", "subject": "Perihal", "opened": "Dibuka", "clocks": "Tenggat",
           "none": "Tidak ada insiden", "timeline": "Linimasa", "who": "Oleh", "when": "Waktu", "what": "Langkah",
           "note": "Catatan", "target": "No. insiden induk (untuk duplikat)", "to_opd": "OPD tujuan",
           "actions": "Langkah yang dapat Anda ambil", "no_actions": "Tidak ada langkah untuk Anda pada status ini",
           "open_new": "Buka insiden baru", "open": "Buka insiden", "done": "{step}: {id} sekarang {state}",
           "opened_new": "Insiden {id} dibuka", "refused": "Ditolak: {reason}", "not_now": "Tidak dapat: {reason}",
           "unknown": "Insiden tidak ditemukan atau bukan milik OPD Anda", "deadline": "tenggat {when}",
           "summary": "Ringkasan insiden", "open_count": "Terbuka", "overdue_by_opd": "Terlambat per OPD",
           "oldest": "Tertua terbuka", "mtta": "MTTA minggu ini", "mttr": "MTTR minggu ini",
           "late": "Terlambat", "owner": "Penanggung jawab", "unassigned": "belum ditugaskan",
           "source": "Asal", "alerts": "Peringatan", "manual": "dibuka manual", "escalated": "Eskalasi: tingkat {n}",
           "back": "Semua insiden", "severity": "Tingkat"},
    "en": {"title": "Incidents", "state": "State", "opd": "Agency", "category": "Category", "all": "All",
           "filter": "Filter", "id": "No.", "subject": "Subject", "opened": "Opened", "clocks": "Deadlines",
           "none": "No incidents", "timeline": "Timeline", "who": "By", "when": "When", "what": "Step",
           "note": "Note", "target": "Parent incident no. (for duplicates)", "to_opd": "Target agency",
           "actions": "Steps you may take", "no_actions": "No step for you in this state",
           "open_new": "Open a new incident", "open": "Open incident", "done": "{step}: {id} is now {state}",
           "opened_new": "Incident {id} opened", "refused": "Refused: {reason}", "not_now": "Not possible: {reason}",
           "unknown": "Incident not found or not your agency's", "deadline": "due {when}",
           "summary": "Incident summary", "open_count": "Open", "overdue_by_opd": "Overdue by agency",
           "oldest": "Oldest open", "mtta": "MTTA this week", "mttr": "MTTR this week",
           "late": "Overdue", "owner": "Owner", "unassigned": "not assigned",
           "source": "Source", "alerts": "Alerts", "manual": "opened by hand", "escalated": "Escalated: level {n}",
           "back": "All incidents", "severity": "Severity"},
}


def _lang(lang: str) -> str:
    return lang if lang in WORDS else "id"


def w(key: str, lang: str, **kw) -> str:
    return WORDS[_lang(lang)][key].format(**kw)


def state_word(state: str, lang: str) -> str:
    return STATES[_lang(lang)].get(state, state)


def step_word(step: str, lang: str) -> str:
    return STEPS[_lang(lang)].get(step, step)


def span(seconds: float | None, lang: str) -> str:
    """A duration as people say it: `2 j 05 m`, `3 h 4 j` (days, hours, minutes)."""
    if seconds is None:
        return "—"
    m = round(seconds / 60)
    d, rest = divmod(m, 1440)
    h, mi = divmod(rest, 60)
    units = ("h", "j", "m") if _lang(lang) == "id" else ("d", "h", "m")
    if d:
        return f"{d} {units[0]} {h} {units[1]}"
    return f"{h} {units[1]} {mi:02d} {units[2]}" if h else f"{mi} {units[2]}"
