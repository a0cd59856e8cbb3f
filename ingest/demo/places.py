"""Kecamatan of each kab/kota: real district names, so locations in the demo data read true."""

from __future__ import annotations

# BPS kab/kota code -> a selection of its kecamatan (the seat's own first).
KECAMATAN: dict[str, tuple[str, ...]] = {
    "3601": ("Pandeglang", "Majasari", "Kaduhejo", "Cadasari", "Labuan", "Carita", "Menes", "Saketi",
             "Cikeusik", "Panimbang"),
    "3602": ("Rangkasbitung", "Cibadak", "Kalanganyar", "Warunggunung", "Malingping", "Cipanas",
             "Maja", "Bayah", "Cileles"),
    "3603": ("Tigaraksa", "Cikupa", "Balaraja", "Curug", "Pasar Kemis", "Kelapa Dua", "Teluknaga",
             "Kosambi", "Pagedangan", "Sepatan", "Mauk"),
    "3604": ("Ciruas", "Kramatwatu", "Cikande", "Kragilan", "Anyar", "Baros", "Pontang", "Cinangka",
             "Petir", "Tirtayasa"),
    "3671": ("Tangerang", "Karawaci", "Cipondoh", "Batuceper", "Benda", "Ciledug", "Pinang",
             "Neglasari", "Jatiuwung", "Cibodas", "Periuk", "Larangan", "Karang Tengah"),
    "3672": ("Cilegon", "Jombang", "Citangkil", "Grogol", "Pulomerak", "Ciwandan", "Purwakarta", "Cibeber"),
    "3673": ("Serang", "Cipocok Jaya", "Taktakan", "Kasemen", "Walantaka", "Curug"),
    "3674": ("Serpong", "Serpong Utara", "Ciputat", "Ciputat Timur", "Pamulang", "Pondok Aren", "Setu"),
}
