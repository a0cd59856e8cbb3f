"""The public portal's words (/publik and its open data): aggregates by kab/kota for everyone, no login."""

from __future__ import annotations

from dashboard.text.words import Vocabulary, Words

WORDS = Vocabulary({
    "pub_title": Words(id="Portal Data Publik", en="Public Data Portal"),
    "pub_subtitle": Words(
        id="Data Command Center Provinsi Banten untuk masyarakat, per kabupaten/kota",
        en="The Banten Command Center's figures for the public, by regency/city"),
    "pub_region": Words(id="Wilayah", en="Area"),
    "pub_whole_province": Words(id="Seluruh Provinsi Banten", en="All of Banten Province"),
    "pub_updated": Words(id="Diperbarui {when}", en="Updated {when}"),
    "pub_no_data": Words(id="Belum ada data", en="No data yet"),
    "pub_note": Words(
        id=("Semua angka adalah agregat per kabupaten/kota; tidak ada data perorangan. Jumlah di bawah 5 ditulis "
            "<5, dan angka bertanda * disamarkan agar jumlah kecil tidak dapat dihitung ulang dari angka lain."),
        en=("All figures are totals per regency/city; there is no data about any one person. Counts under 5 are "
            "written <5, and figures marked * are withheld so that a small count cannot be worked out from the "
            "others.")),
    "pub_opendata": Words(id="Data terbuka (CSV)", en="Open data (CSV)"),
    "pub_download": Words(id="Unduh CSV", en="Download CSV"),
    "pub_metadata": Words(id="Metadata", en="Metadata"),
    "pub_map": Words(id="Peta per kabupaten/kota", en="Map by regency/city"),
    "pub_map_hint": Words(
        id="Ketuk wilayah pada peta untuk melihat angkanya",
        en="Tap an area on the map to see its figures"),
    "pub_profile": Words(id="Ringkasan {name}", en="{name} at a glance"),
    "pub_region_col": Words(id="Wilayah", en="Area"),
    "pub_prices": Words(id="Harga pangan", en="Food prices"),
    "pub_prices_desc": Words(
        id=("Harga rata-rata di {name} dibandingkan harga acuan (HET/HAP). Sumber: PIHPS Bank Indonesia dan Panel "
            "Harga Badan Pangan Nasional."),
        en=("Average prices in {name} against the reference price (HET/HAP). Sources: Bank Indonesia's PIHPS and "
            "the National Food Agency's price panel.")),
    "pub_complaints": Words(id="Penanganan pengaduan masyarakat", en="Public complaint handling"),
    "pub_complaints_desc": Words(
        id=("Pengaduan yang diterima dan diselesaikan dalam 7 hari terakhir ({start} – {end}); tepat waktu berarti "
            "selesai dalam {days} hari (batas layanan SP4N-LAPOR!)."),
        en=("Complaints received and resolved in the last 7 days ({start} – {end}); in time means resolved within "
            "{days} days (the SP4N-LAPOR! service level).")),
    "pub_categories": Words(
        id="Pengaduan terbuka per kategori (Provinsi Banten)",
        en="Open complaints by category (Banten Province)"),
    "pub_procurement": Words(id="Pengadaan barang/jasa (tender)", en="Public procurement (tenders)"),
    "pub_procurement_desc": Words(
        id="Paket tender, nilai HPS, nilai kontrak dan penghematan dari SPSE/LPSE.",
        en="Tender packages, owner's estimates, contract values and savings from SPSE/LPSE."),
    "pub_beds": Words(id="Tempat tidur rumah sakit", en="Hospital beds"),
    "pub_beds_desc": Words(
        id="Keterisian tempat tidur dijumlahkan per kabupaten/kota.",
        en="Bed occupancy added up per regency/city."),
    "pub_bansos": Words(id="Penyaluran bantuan sosial", en="Social assistance disbursement"),
    "pub_bansos_desc": Words(
        id="Keluarga penerima manfaat (KPM) yang sudah menerima bantuan dibanding target.",
        en="Beneficiary households (KPM) paid against the target."),
    "pub_bansos_programmes": Words(id="Per program di {name}", en="By programme in {name}"),
    "pub_statistics": Words(id="Statistik", en="Statistics"),
    "pub_statistics_desc": Words(
        id="Indikator Badan Pusat Statistik, tahun dan periode terakhir.",
        en="Statistics Indonesia (BPS) indicators, latest year and period."),
    "pub_cameras": Words(id="Kamera CCTV", en="CCTV cameras"),
    "pub_other_desc": Words(
        id="Angka {name} per kabupaten/kota dan provinsi; jumlah di bawah 5 disamarkan.",
        en="{name} figures per regency/city and the province; counts under 5 are withheld."),
    "pub_cameras_desc": Words(
        id="Jumlah kamera yang aktif (tanpa gambar dan lokasi kamera).",
        en="How many cameras work (no pictures, no camera places)."),
    "pub_map_pengaduan": Words(id="Pengaduan diterima (7 hari)", en="Complaints received (7 days)"),
    "pub_map_tempat_tidur": Words(id="Keterisian tempat tidur", en="Bed occupancy"),
    "pub_map_bansos": Words(id="Progres penyaluran bansos", en="Social assistance progress"),
    "pub_map_statistik": Words(id="Indikator statistik", en="Statistical indicator"),
    "pub_map_kamera": Words(id="Kamera aktif", en="Cameras working"),
    "pub_map_pengadaan": Words(id="Nilai HPS tender", en="Tender owner's estimate"),
    "pub_card_in_time": Words(id="Pengaduan selesai tepat waktu", en="Complaints resolved in time"),
    "pub_card_tenders": Words(id="Paket tender", en="Tender packages"),
    "pub_licence": Words(
        id="Data dapat digunakan kembali dengan lisensi CC BY 4.0 dengan menyebut sumbernya.",
        en="The data may be reused under CC BY 4.0, naming the source."),
    "pub_od_title": Words(id="Data Terbuka Provinsi Banten", en="Banten Province Open Data"),
    "pub_od_intro": Words(
        id="Data agregat Command Center Provinsi Banten untuk diunduh, dengan metadata mengikuti Satu Data Indonesia.",
        en="Aggregate data of the Banten Command Center to download, with metadata after Satu Data Indonesia."),
    "pub_od_format": Words(
        id=("CSV: UTF-8 (dengan BOM), dipisah koma, tanggal ISO 8601 dan angka tanpa pemisah ribuan dengan titik "
            "desimal, untuk diolah mesin. Untuk Excel, pilih unduhan Excel."),
        en=("CSV: UTF-8 (with BOM), comma separated, ISO 8601 dates and numbers without grouping with a dot for "
            "decimals, for machines. For Excel, take the Excel download.")),
    "pub_od_producer": Words(id="Produsen data", en="Data producer"),
    "pub_od_frequency": Words(id="Frekuensi", en="Frequency"),
    "pub_od_coverage": Words(id="Cakupan wilayah", en="Coverage"),
    "pub_od_period": Words(id="Periode", en="Period"),
    "pub_od_latest": Words(id="Data terakhir", en="Latest data"),
    "pub_od_updated": Words(id="Tanggal pembaruan", en="Updated"),
    "pub_od_units": Words(id="Satuan", en="Units"),
    "pub_od_licence": Words(id="Lisensi", en="Licence"),
    "pub_od_contact": Words(id="Kontak", en="Contact"),
    "pub_od_metadata": Words(id="Metadata (JSON)", en="Metadata (JSON)"),
})
