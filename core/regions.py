"""Banten's kabupaten/kota with their BPS codes: the region keys of every record and figure."""

from __future__ import annotations

from dataclasses import dataclass

PROVINCE_CODE = "36"
PROVINCE_NAME = "Provinsi Banten"


@dataclass(frozen=True)
class KabKota:
    code: str  # BPS code, e.g. "3673"; Kemendagri writes it "36.73"
    name: str
    short: str
    seat_lat: float
    seat_lon: float
    population: int


KABKOTA: dict[str, KabKota] = {
    k.code: k
    for k in (
        KabKota("3601", "Kabupaten Pandeglang", "Pandeglang", -6.3092, 106.1047, 1_400_000),
        KabKota("3602", "Kabupaten Lebak", "Lebak", -6.3600, 106.2500, 1_490_000),
        KabKota("3603", "Kabupaten Tangerang", "Kab. Tangerang", -6.2694, 106.4842, 3_310_000),
        KabKota("3604", "Kabupaten Serang", "Kab. Serang", -6.1200, 106.2500, 1_730_000),
        KabKota("3671", "Kota Tangerang", "Kota Tangerang", -6.1714, 106.6406, 1_910_000),
        KabKota("3672", "Kota Cilegon", "Cilegon", -6.0103, 106.0419, 470_000),
        KabKota("3673", "Kota Serang", "Kota Serang", -6.1200, 106.1503, 740_000),
        KabKota("3674", "Kota Tangerang Selatan", "Tangsel", -6.2889, 106.7181, 1_410_000),
    )
}


def normalize_region(value) -> str | None:
    """A BPS code from '3673', 3673, '36.73' or '36'; None when it is not a code of Banten."""
    if value is None:
        return None
    text = str(value).strip().replace(".", "")
    if text.endswith("00") and len(text) == 4 and text[:2] == PROVINCE_CODE:
        text = PROVINCE_CODE  # BPS writes the province domain as 3600
    if text == PROVINCE_CODE or text in KABKOTA:
        return text
    return None


def region_name(code: str | None, province: str = PROVINCE_NAME, *, short: bool = False) -> str:
    """A region as people name it: 'Kota Serang' for 3673 ('Kota Serang' / 'Tangsel' with `short`),
    `province` for 36 or no code (a screen passes its own language's word), an unknown code as it is."""
    if not code or code == PROVINCE_CODE:
        return province
    known = KABKOTA.get(code)
    if known is None:
        return code
    return known.short if short else known.name
