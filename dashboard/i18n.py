"""The screens' own words, in Bahasa Indonesia (default) and English (`?lang=en`).

Labels of metrics and feeds come from config.yaml; this module holds only the UI's fixed strings.
"""

from __future__ import annotations

from urllib.parse import parse_qs

LANGUAGES = ("id", "en")

STRINGS: dict[str, dict[str, str]] = {
    "id": {
        "province": "Provinsi Banten",
        "live": "LANGSUNG",
        "lost": "TERPUTUS",
        "stale_mark": "DATA LAMA",
        "no_data": "belum ada data",
        "regions": "{n} dari {total} kab/kota",
        "province_wide": "Tingkat provinsi",
        "entities": "{n} data",
        "highest": "Tertinggi: {name} {value}",
        "lowest": "Terendah: {name} {value}",
        "map_title": "{label} per kab/kota",
        "clock_zone": "WIB",
        "alerts_title": "Peringatan",
        "alerts_ok": "Semua feed normal, tidak ada peringatan",
        "alerts_more": "+{n} lainnya",
        "outage": "Koneksi ke server data terputus sejak {since} — menampilkan data terakhir",
        "outage_alert": "Koneksi ke server data (Redis) terputus sejak {since}",
        "feed_stale": "Feed {title} tidak mengirim data sejak {since}",
        "feed_never": "Feed {title} belum mengirim data",
        "feed_error": "Feed {title} gagal sejak {since}: {error}",
        "tag_offline": "TERPUTUS",
        "tag_failing": "GAGAL",
        "tag_late": "TERLAMBAT",
        "walls": "Layar",
        "wall_missing": "Layar '{name}' tidak ada. Layar yang tersedia:",
        "cam_title": "Kamera CCTV",
        "cam_badge_offline": "TERPUTUS",
        "cam_badge_stalled": "TERHENTI",
        "cam_badge_connecting": "MENYAMBUNG",
        "cam_picture_age": "gambar {age}",
        "cam_no_picture": "belum ada gambar",
        "cam_state_live": "aktif",
        "cam_state_offline": "terputus",
        "cam_state_stalled": "terhenti",
        "cam_state_connecting": "menyambung",
        "cam_map_hint": "Klik kamera untuk melihat gambarnya",
        # the application pages (dashboard/pages/application.py)
        "app_home": "Beranda",
        "app_province": "Provinsi Banten",
        "app_province_level": "Tingkat provinsi",
        "app_map": "Peta per kab/kota",
        "app_trend": "Tren harian",
        "app_table": "Data",
        "app_bars": "Perbandingan",
        "app_export_csv": "Ekspor CSV",
        "app_export_xlsx": "Ekspor Excel",
        "app_range": "Rentang waktu",
        "app_range_reset": "Semua waktu",
        "app_record": "Rincian data",
        "app_updated": "Diperbarui {when}",
        "app_no_data": "Belum ada data untuk tingkat ini",
        "app_unknown_app": "Aplikasi '{name}' tidak dikenal",
        "app_region": "Kab/kota",
        "app_field": "Kolom",
        "app_value": "Nilai",
        "app_applications": "Aplikasi",
        "app_level_provinsi": "Provinsi",
        "app_level_wilayah": "Kab/kota",
        "app_level_unit": "Unit",
        "app_level_rekaman": "Data",
        "app_records_in": "{n} data",
        "app_event_time": "Waktu kejadian (WIB)",
        "app_ingest_time": "Waktu masuk (WIB)",
        "app_start": "Mulai",
        "app_end": "Sampai",
    },
    "en": {
        "province": "Banten Province",
        "live": "LIVE",
        "lost": "DISCONNECTED",
        "stale_mark": "STALE DATA",
        "no_data": "no data yet",
        "regions": "{n} of {total} regencies/cities",
        "province_wide": "Province-wide",
        "entities": "{n} records",
        "highest": "Highest: {name} {value}",
        "lowest": "Lowest: {name} {value}",
        "map_title": "{label} by regency/city",
        "clock_zone": "WIB",
        "alerts_title": "Alerts",
        "alerts_ok": "All feeds normal, no alerts",
        "alerts_more": "+{n} more",
        "outage": "Connection to the data server lost since {since} — showing the last data",
        "outage_alert": "Connection to the data server (Redis) lost since {since}",
        "feed_stale": "Feed {title} has sent no data since {since}",
        "feed_never": "Feed {title} has not sent any data yet",
        "feed_error": "Feed {title} failing since {since}: {error}",
        "tag_offline": "OFFLINE",
        "tag_failing": "FAILING",
        "tag_late": "LATE",
        "walls": "Screens",
        "wall_missing": "There is no screen '{name}'. Available screens:",
        "cam_title": "CCTV cameras",
        "cam_badge_offline": "OFFLINE",
        "cam_badge_stalled": "STALLED",
        "cam_badge_connecting": "CONNECTING",
        "cam_picture_age": "picture {age}",
        "cam_no_picture": "no picture yet",
        "cam_state_live": "live",
        "cam_state_offline": "offline",
        "cam_state_stalled": "stalled",
        "cam_state_connecting": "connecting",
        "cam_map_hint": "Click a camera to see its picture",
        # the application pages (dashboard/pages/application.py)
        "app_home": "Home",
        "app_province": "Banten Province",
        "app_province_level": "Province level",
        "app_map": "Map by regency/city",
        "app_trend": "Daily trend",
        "app_table": "Data",
        "app_bars": "Comparison",
        "app_export_csv": "Export CSV",
        "app_export_xlsx": "Export Excel",
        "app_range": "Time range",
        "app_range_reset": "All time",
        "app_record": "Record detail",
        "app_updated": "Updated {when}",
        "app_no_data": "No data for this level yet",
        "app_unknown_app": "Unknown application '{name}'",
        "app_region": "Regency/city",
        "app_field": "Field",
        "app_value": "Value",
        "app_applications": "Applications",
        "app_level_provinsi": "Province",
        "app_level_wilayah": "Regency/city",
        "app_level_unit": "Unit",
        "app_level_rekaman": "Record",
        "app_records_in": "{n} records",
        "app_event_time": "Event time (WIB)",
        "app_ingest_time": "Ingest time (WIB)",
        "app_start": "Start",
        "app_end": "End",
    },
}

# Each page's own words: one section per page, merged into STRINGS below (keys must not collide).
# login, logout, accounts, audit (issue #6)
AUTH_WORDS: dict[str, dict[str, str]] = {
    "id": {
    },
    "en": {
    },
}

# the public portal /publik (issue #6)
PUBLIC_WORDS: dict[str, dict[str, str]] = {
    "id": {
    },
    "en": {
    },
}

# playlists, remote control, kiosk, reloads (issue #5)
SCREENS_WORDS: dict[str, dict[str, str]] = {
    "id": {
    },
    "en": {
    },
}

# /screen/governor (issue #5)
GOVERNOR_WORDS: dict[str, dict[str, str]] = {
    "id": {
    },
    "en": {
    },
}

# /screen/meeting (issue #5)
MEETING_WORDS: dict[str, dict[str, str]] = {
    "id": {
    },
    "en": {
    },
}

# /analyst (issue #5)
ANALYST_WORDS: dict[str, dict[str, str]] = {
    "id": {
    },
    "en": {
    },
}

# /operator: acknowledge alerts, upload files (issue #3)
OPERATOR_WORDS: dict[str, dict[str, str]] = {
    "id": {
    },
    "en": {
    },
}

for _section in (AUTH_WORDS, PUBLIC_WORDS, SCREENS_WORDS, GOVERNOR_WORDS, MEETING_WORDS, ANALYST_WORDS,
                 OPERATOR_WORDS):
    for _lang, _words in _section.items():
        _clash = set(_words) & set(STRINGS[_lang])
        assert not _clash, f"UI string keys defined twice: {sorted(_clash)}"
        STRINGS[_lang].update(_words)

# The seven OPD applications: what a screen calls them.
APPLICATIONS: dict[str, dict[str, str]] = {
    "e-bansos": {"id": "Bantuan Sosial", "en": "Social Assistance"},
    "e-pormas": {"id": "Pengaduan Masyarakat", "en": "Public Complaints"},
    "e-cctv": {"id": "CCTV", "en": "CCTV"},
    "e-statistik": {"id": "Statistik", "en": "Statistics"},
    "e-yankes": {"id": "Layanan Kesehatan", "en": "Health Services"},
    "e-lpse": {"id": "Pengadaan (LPSE)", "en": "Procurement (LPSE)"},
    "e-disikap": {"id": "Harga Pangan", "en": "Food Prices"},
}


def text(key: str, lang: str = "id", **values) -> str:
    """A UI string in the language, with `{placeholders}` filled."""
    table = STRINGS.get(lang, STRINGS["id"])
    return table.get(key, STRINGS["id"][key]).format(**values)


def application_name(app: str, lang: str = "id") -> str:
    """The plain name of an OPD application (e-bansos -> Bantuan Sosial)."""
    names = APPLICATIONS.get(app)
    return names.get(lang, names["id"]) if names else app


def language_from_query(search: str | None, default: str = "id") -> str:
    """The language a page asks for with `?lang=en`, else the site's default."""
    wanted = parse_qs((search or "").lstrip("?")).get("lang", [""])[0].lower()
    return wanted if wanted in LANGUAGES else (default if default in LANGUAGES else "id")
