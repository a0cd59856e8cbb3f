"""The IT control center's own words, Bahasa Indonesia first, English with `?lang=en`."""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "id": {
        "up": "NORMAL", "degraded": "TERGANGGU", "down": "MATI", "pending": "MENUNGGU", "unknown": "TAK DIKETAHUI",
        "offline": "MONITOR OFFLINE",
        "matrix_title": "Sistem OPD", "certs_title": "Sertifikat segera berakhir",
        "certs_none": "Tidak ada sertifikat yang berakhir dalam {days} hari",
        "cert_line": "{name} — berakhir {date} ({days} hari)",
        "counts": "{total} layanan · {up} normal · {degraded} terganggu · {down} mati",
        "counts_unknown": " · {n} tak diketahui",
        "offline_banner": "MONITOR OFFLINE: jaringan probe {probe} terputus sejak {since} — "
                          "status layanan tidak diketahui",
        "incident_line": "{name}: mati sejak {since}",
        "incident_more": " — {n} layanan lain terdampak",
        "incidents_none": "Tidak ada insiden terbuka",
        "summary_title": "Insiden terbuka",
        "ms": "{ms} ms",
        "via": "karena {root}",
        "governor_it": "Layanan TI OPD mati",
        "governor_it_of": "dari {total} layanan",
    },
    "en": {
        "up": "UP", "degraded": "DEGRADED", "down": "DOWN", "pending": "PENDING", "unknown": "UNKNOWN",
        "offline": "MONITOR OFFLINE",
        "matrix_title": "Agency systems", "certs_title": "Certificates expiring soon",
        "certs_none": "No certificate expires within {days} days",
        "cert_line": "{name} — expires {date} ({days} days)",
        "counts": "{total} services · {up} up · {degraded} degraded · {down} down",
        "counts_unknown": " · {n} unknown",
        "offline_banner": "MONITOR OFFLINE: probe {probe} lost its network at {since} — service states unknown",
        "incident_line": "{name}: down since {since}",
        "incident_more": " — {n} more services affected",
        "incidents_none": "No open incidents",
        "summary_title": "Open incidents",
        "ms": "{ms} ms",
        "via": "because of {root}",
        "governor_it": "Agency IT services down",
        "governor_it_of": "of {total} services",
    },
}


def word(key: str, lang: str = "id", **values) -> str:
    table = WORDS.get(lang, WORDS["id"])
    return table.get(key, WORDS["id"][key]).format(**values)
