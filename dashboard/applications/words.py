"""The application pages' words (/app/<application>): headline, map, trend, table, drill-down."""

from __future__ import annotations

from dashboard.text.words import Vocabulary, Words

WORDS = Vocabulary({
    "app_home": Words(id="Beranda", en="Home"),
    "app_province_level": Words(id="Tingkat provinsi", en="Province level"),
    "app_map": Words(id="Peta per kab/kota", en="Map by regency/city"),
    "app_trend": Words(id="Tren harian", en="Daily trend"),
    "app_table": Words(id="Data", en="Data"),
    "app_bars": Words(id="Perbandingan", en="Comparison"),
    "app_export_csv": Words(id="Ekspor CSV", en="Export CSV"),
    "app_export_xlsx": Words(id="Ekspor Excel", en="Export Excel"),
    "app_range": Words(id="Rentang waktu", en="Time range"),
    "app_range_reset": Words(id="Semua waktu", en="All time"),
    "app_record": Words(id="Rincian data", en="Record detail"),
    "app_updated": Words(id="Diperbarui {when}", en="Updated {when}"),
    "app_no_data": Words(id="Belum ada data untuk tingkat ini", en="No data for this level yet"),
    "app_unknown_app": Words(id="Aplikasi '{name}' tidak dikenal", en="Unknown application '{name}'"),
    "app_region": Words(id="Kab/kota", en="Regency/city"),
    "app_field": Words(id="Kolom", en="Field"),
    "app_value": Words(id="Nilai", en="Value"),
    "app_applications": Words(id="Aplikasi", en="Applications"),
    "app_level_provinsi": Words(id="Provinsi", en="Province"),
    "app_level_wilayah": Words(id="Kab/kota", en="Regency/city"),
    "app_level_unit": Words(id="Unit", en="Unit"),
    "app_level_rekaman": Words(id="Data", en="Record"),
    "app_records_in": Words(id="{n} data", en="{n} records"),
    "app_event_time": Words(id="Waktu kejadian (WIB)", en="Event time (WIB)"),
    "app_ingest_time": Words(id="Waktu masuk (WIB)", en="Ingest time (WIB)"),
    "app_start": Words(id="Mulai", en="Start"),
    "app_end": Words(id="Sampai", en="End"),
})
