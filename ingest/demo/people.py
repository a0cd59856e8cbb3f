"""Made-up residents of Banten: names, NIK and phone numbers shaped like the real ones.

Every person here is invented from seeded random choices; the shapes are real so that the
ingest's masking of personal data is exercised on values that look like what it will meet.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from ingest.demo.places import KECAMATAN

MALE = ("Ahmad", "Asep", "Dedi", "Ujang", "Agus", "Muhammad", "Hendra", "Rudi", "Wawan", "Budi", "Fajar",
        "Eko", "Irfan", "Dadang", "Yusuf", "Rizki", "Iwan", "Jajang", "Hasan", "Cecep", "Andi", "Bambang")
FEMALE = ("Siti", "Euis", "Rina", "Dewi", "Nur", "Yuliani", "Iis", "Tati", "Lilis", "Sri", "Neng",
          "Ratna", "Nurhayati", "Aisyah", "Fitri", "Imas", "Wulan", "Rohmah", "Ani", "Dian", "Eneng")
FAMILY = ("Hidayat", "Suryana", "Setiawan", "Rahmawati", "Kurniawan", "Saputra", "Maulana", "Fitriani",
          "Hermawan", "Sulaeman", "Firmansyah", "Nurjanah", "Supriatna", "Wahyudi", "Hasanah", "Gunawan",
          "Permana", "Ramdani", "Syahputra", "Kusnadi", "Mulyadi", "Juhaeni")
# Mobile prefixes of the large Indonesian operators.
PHONE_PREFIXES = ("0812", "0813", "0821", "0822", "0852", "0853", "0857", "0858", "0877", "0878",
                  "0896", "0838")


@dataclass(frozen=True)
class Resident:
    nama: str
    nik: str
    telepon: str
    kecamatan: str


def make_resident(rng: random.Random, kode_kab: str, today: date) -> Resident:
    """An invented resident of one kab/kota with a NIK that starts with its code."""
    female = rng.random() < 0.45
    first = rng.choice(FEMALE if female else MALE)
    nama = f"{first} {rng.choice(FAMILY)}" if rng.random() < 0.85 else first
    districts = KECAMATAN[kode_kab]
    index = rng.randrange(len(districts))
    born = today - timedelta(days=rng.randint(18 * 365, 70 * 365))
    # NIK: kab/kota (4) + kecamatan (2) + birth date DDMMYY, women's day plus 40 (6) + serial (4).
    day = born.day + (40 if female else 0)
    nik = f"{kode_kab}{index + 1:02d}{day:02d}{born.month:02d}{born.year % 100:02d}{rng.randint(1, 9999):04d}"
    telepon = rng.choice(PHONE_PREFIXES) + "".join(str(rng.randint(0, 9)) for _ in range(rng.randint(7, 8)))
    return Resident(nama, nik, telepon, districts[index])
