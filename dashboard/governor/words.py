"""The governor's screen's words (/screen/governor)."""

from __future__ import annotations

from dashboard.text.words import Vocabulary, Words

WORDS = Vocabulary({
    "gov_title": Words(id="Keadaan Provinsi Hari Ini", en="The Province Today"),
    "gov_since_yesterday": Words(id="dari kemarin", en="since yesterday"),
    "gov_since_last_week": Words(id="dari minggu lalu", en="since last week"),
    "gov_same_yesterday": Words(id="= sama dengan kemarin", en="= same as yesterday"),
    "gov_same_last_week": Words(id="= sama dengan minggu lalu", en="= same as last week"),
    "gov_no_comparison": Words(id="belum ada pembanding", en="no comparison yet"),
    "gov_points": Words(id="poin", en="pts"),
    "gov_updated": Words(id="diperbarui {age}", en="updated {age}"),
    "gov_alerts_title": Words(id="Yang perlu perhatian", en="Needs attention"),
    "gov_alerts_none": Words(id="Tidak ada peringatan aktif", en="No active alerts"),
    "gov_alerts_count": Words(id="{n} peringatan", en="{n} alerts"),
    "gov_attention": Words(id="{n} hal perlu perhatian", en="{n} items need attention"),
    "gov_all_clear": Words(id="Semua aman", en="All clear"),
    "gov_map_title": Words(id="Kab/kota", en="Regencies/cities"),
    "gov_mode_status": Words(id="Peringatan", en="Alerts"),
    "gov_legend_status": Words(
        id="Warna: peringatan aktif di kab/kota",
        en="Colour: active alerts in the regency/city"),
    "gov_legend_app": Words(id="Warna: {label}", en="Colour: {label}"),
    "gov_sev_critical": Words(id="KRITIS", en="CRITICAL"),
    "gov_sev_warning": Words(id="WASPADA", en="WARNING"),
    "gov_sev_info": Words(id="INFO", en="INFO"),
    "gov_detail_bansos": Words(id="{paid} dari {target} KPM tersalur", en="{paid} of {target} beneficiaries paid"),
    "gov_detail_pormas": Words(id="{n} lewat batas layanan", en="{n} past service level"),
    "gov_detail_cctv": Words(id="dari {n} kamera ({pct})", en="of {n} cameras ({pct})"),
    "gov_detail_statistik": Words(id="Data {periode} {tahun}", en="Data of {periode} {tahun}"),
    "gov_detail_yankes": Words(
        id="{occupied} dari {beds} tempat tidur terisi",
        en="{occupied} of {beds} beds occupied"),
    "gov_detail_lpse": Words(
        id="{active} tender aktif, {late} tahap terlambat",
        en="{active} active tenders, {late} stages overdue"),
    "gov_detail_disikap": Words(id="{n} komoditas di atas harga acuan", en="{n} commodities above reference price"),
})
