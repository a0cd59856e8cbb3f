"""The IT control center's words: the wall tiles, the /it page and the public /status page."""

from __future__ import annotations

from dashboard.text.words import Vocabulary, Words

# The wall tiles and the governor's count.
WORDS = Vocabulary({
    "up": Words(id="NORMAL", en="UP"),
    "degraded": Words(id="TERGANGGU", en="DEGRADED"),
    "down": Words(id="MATI", en="DOWN"),
    "pending": Words(id="MENUNGGU", en="PENDING"),
    "unknown": Words(id="TAK DIKETAHUI", en="UNKNOWN"),
    "offline": Words(id="MONITOR OFFLINE", en="MONITOR OFFLINE"),
    "matrix_title": Words(id="Sistem OPD", en="Agency systems"),
    "certs_title": Words(id="Sertifikat segera berakhir", en="Certificates expiring soon"),
    "certs_none": Words(
        id="Tidak ada sertifikat yang berakhir dalam {days} hari",
        en="No certificate expires within {days} days"),
    "cert_line": Words(id="{name} — berakhir {date} ({days} hari)", en="{name} — expires {date} ({days} days)"),
    "counts": Words(
        id="{total} layanan · {up} normal · {degraded} terganggu · {down} mati",
        en="{total} services · {up} up · {degraded} degraded · {down} down"),
    "counts_unknown": Words(id=" · {n} tak diketahui", en=" · {n} unknown"),
    "offline_banner": Words(
        id="MONITOR OFFLINE: jaringan probe {probe} terputus sejak {since} — status layanan tidak diketahui",
        en="MONITOR OFFLINE: probe {probe} lost its network at {since} — service states unknown"),
    "incident_line": Words(id="{name}: mati sejak {since}", en="{name}: down since {since}"),
    "incident_more": Words(id=" — {n} layanan lain terdampak", en=" — {n} more services affected"),
    "incidents_none": Words(id="Tidak ada insiden terbuka", en="No open incidents"),
    "summary_title": Words(id="Insiden terbuka", en="Open incidents"),
    "ms": Words(id="{ms} ms", en="{ms} ms"),
    "via": Words(id="karena {root}", en="because of {root}"),
    "governor_it": Words(id="Layanan TI OPD mati", en="Agency IT services down"),
    "governor_it_of": Words(id="dari {total} layanan", en="of {total} services"),
})

# The /it drill-down page.
IT_PAGE = Vocabulary({
    "title": Words(id="Kendali TI Perangkat Daerah", en="Agency IT Control Center"),
    "all": Words(id="Semua OPD", en="All agencies"),
    "opd": Words(id="OPD", en="Agency"),
    "services": Words(id="Layanan", en="Services"),
    "state": Words(id="Status", en="State"),
    "since": Words(id="Sejak", en="Since"),
    "reason": Words(id="Sebab", en="Reason"),
    "ms": Words(id="Waktu respons", en="Response time"),
    "sla": Words(id="SLA bulan ini", en="SLA this month"),
    "target": Words(id="target {pct}", en="target {pct}"),
    "uptime": Words(id="Ketersediaan 24 jam / 7 hari / 30 hari", en="Availability 24 h / 7 d / 30 d"),
    "p": Words(id="p50 / p95 / p99", en="p50 / p95 / p99"),
    "hour": Words(id="jam ini", en="this hour"),
    "day": Words(id="hari ini", en="today"),
    "history": Words(id="Riwayat pemeriksaan", en="Check history"),
    "time": Words(id="Waktu", en="Time"),
    "result": Words(id="Hasil", en="Result"),
    "ok": Words(id="berhasil", en="passed"),
    "fail": Words(id="gagal", en="failed"),
    "hours": Words(id="Persentil per jam (24 jam terakhir)", en="Percentiles per hour (last 24 h)"),
    "days": Words(id="Ketersediaan harian (30 hari)", en="Daily availability (30 days)"),
    "incidents": Words(id="Insiden terbuka", en="Open incidents"),
    "ack": Words(id="Terima", en="Acknowledge"),
    "acked": Words(id="Diterima oleh {who} {when}", en="Acknowledged by {who} {when}"),
    "no_incidents": Words(id="Tidak ada insiden terbuka", en="No open incidents"),
    "affected": Words(id="{n} layanan terdampak", en="{n} services affected"),
    "none": Words(id="Tidak ada OPD yang dapat Anda lihat", en="No agency is visible to you"),
    "cert": Words(id="Sertifikat berakhir", en="Certificate expires"),
    "probe": Words(id="Probe", en="Probe"),
    "counted_under": Words(id="karena {root}", en="because of {root}"),
    "ack_done": Words(id="Insiden {name} diterima oleh {who}", en="Incident {name} acknowledged by {who}"),
    "ack_refused": Words(id="Anda tidak berwenang menerima insiden ini", en="You may not acknowledge this incident"),
    "ack_gone": Words(id="Insiden sudah selesai", en="The incident is over"),
    "unknown_opd": Words(id="OPD tidak ditemukan atau bukan milik Anda", en="Agency not found or not yours"),
})

# The public /status page.
STATUS_PAGE = Vocabulary({
    "title": Words(id="Status Layanan Publik Provinsi Banten", en="Banten Province Public Service Status"),
    "all_ok": Words(id="Semua layanan publik berjalan normal", en="All public services are operating normally"),
    "some_down": Words(id="{n} layanan publik sedang bermasalah", en="{n} public services have problems"),
    "uptime": Words(id="{pct} tersedia dalam 90 hari", en="{pct} available over 90 days"),
    "no_data": Words(id="belum ada data", en="no data yet"),
    "maintenance": Words(id="Pemeliharaan terjadwal", en="Scheduled maintenance"),
    "incidents": Words(id="Riwayat insiden", en="Incident history"),
    "no_incidents": Words(id="Tidak ada insiden dalam 30 hari terakhir", en="No incidents in the last 30 days"),
    "incident": Words(id="{names}: gangguan {opened}", en="{names}: disruption {opened}"),
    "resolved": Words(id="pulih {when} ({minutes} menit)", en="resolved {when} ({minutes} min)"),
    "ongoing": Words(id="masih berlangsung", en="ongoing"),
    "now": Words(id="sedang berlangsung", en="in progress"),
    "ago": Words(id="90 hari lalu", en="90 days ago"),
    "today": Words(id="hari ini", en="today"),
    "up": Words(id="Normal", en="Operational"),
    "degraded": Words(id="Terganggu", en="Degraded"),
    "down": Words(id="Tidak tersedia", en="Unavailable"),
    "pending": Words(id="Belum diperiksa", en="Not checked yet"),
    "unknown": Words(id="Tidak diketahui", en="Unknown"),
    "offline": Words(id="Tidak diketahui", en="Unknown"),
    "bar": Words(id="{date}: {pct}", en="{date}: {pct}"),
    "bar_maint": Words(id="{date}: pemeliharaan", en="{date}: maintenance"),
    "bar_none": Words(id="{date}: tanpa data", en="{date}: no data"),
})


def word(key: str, lang: str = "id", **values) -> str:
    return WORDS.say(key, lang, **values)
