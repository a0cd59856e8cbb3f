"""The analysts' page's words (/analyst)."""

from __future__ import annotations

from dashboard.text.words import Vocabulary, Words

WORDS = Vocabulary({
    "ana_title": Words(id="Analisis antarwilayah", en="Regional analysis"),
    "ana_app": Words(id="Aplikasi", en="Application"),
    "ana_measure": Words(id="Ukuran", en="Measure"),
    "ana_regions": Words(id="Wilayah", en="Regions"),
    "ana_regions_hint": Words(id="Pilih kab/kota", en="Choose regencies/cities"),
    "ana_range": Words(id="Rentang (WIB)", en="Range (WIB)"),
    "ana_chart": Words(id="Grafik harian", en="Daily chart"),
    "ana_chart_line": Words(id="Garis", en="Lines"),
    "ana_chart_bar": Words(id="Batang", en="Bars"),
    "ana_compare_title": Words(id="{measure}: awal dan akhir rentang", en="{measure}: start and end of range"),
    "ana_trend_title": Words(id="{measure} per hari", en="{measure} by day"),
    "ana_table_title": Words(id="{measure} per hari (WIB)", en="{measure} by day (WIB)"),
    "ana_first": Words(id="Awal rentang", en="Start of range"),
    "ana_last": Words(id="Akhir rentang", en="End of range"),
    "ana_day": Words(id="Tanggal", en="Date"),
    "ana_days": Words(id="{n} hari", en="{n} days"),
    "ana_one_day": Words(id="1 hari", en="1 day"),
    "ana_as_of": Words(id="per {day}", en="as of {day}"),
    "ana_change": Words(id="{change} sejak {day}", en="{change} since {day}"),
    "ana_points": Words(id="poin", en="pts"),
    "ana_export_csv": Words(id="Ekspor CSV", en="Export CSV"),
    "ana_export_xlsx": Words(id="Ekspor Excel", en="Export Excel"),
    "ana_export_png": Words(id="Unduh gambar (PNG)", en="Download image (PNG)"),
    "ana_no_regions": Words(
        id="Pilih satu wilayah atau lebih untuk dibandingkan.",
        en="Choose one or more regions to compare."),
    "ana_no_measure": Words(
        id="{app} belum punya data harian untuk dibandingkan.",
        en="{app} has no daily figures to compare yet."),
    "ana_no_data": Words(id="Belum ada data untuk pilihan ini.", en="No data for this choice yet."),
    "ana_share": Words(
        id="Alamat halaman ini menyimpan seluruh pilihan: bagikan untuk membuka tampilan yang sama.",
        en="This page's address keeps every choice: share it to open the same view."),
    "ana_pick_select_all": Words(id="Pilih semua", en="Select all"),
    "ana_pick_deselect_all": Words(id="Kosongkan", en="Deselect all"),
    "ana_pick_selected_count": Words(id="{num_selected} dipilih", en="{num_selected} selected"),
    "ana_pick_search": Words(id="Cari", en="Search"),
    "ana_pick_clear_search": Words(id="Hapus pencarian", en="Clear search"),
    "ana_pick_clear_selection": Words(id="Hapus pilihan", en="Clear selection"),
    "ana_pick_no_options_found": Words(id="Tidak ada pilihan", en="No options found"),
})
