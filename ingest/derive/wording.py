"""How figures read in an alert message: Indonesian number formats and region names."""

from __future__ import annotations

from core.regions import KABKOTA, PROVINCE_CODE, PROVINCE_NAME


def rupiah(value: float) -> str:
    """'Rp 85.000', with the dot as thousands separator."""
    return "Rp " + f"{value:,.0f}".replace(",", ".")


def percent(value: float) -> str:
    """'21 %' or '12,5 %': whole numbers without decimals, a decimal comma otherwise."""
    rounded = round(value, 1)
    text = f"{rounded:.0f}" if rounded == int(rounded) else f"{rounded:.1f}".replace(".", ",")
    return f"{text} %"


def region_name(code: str | None) -> str:
    """'Kota Serang' for 3673, 'Provinsi Banten' for 36."""
    if not code or code == PROVINCE_CODE:
        return PROVINCE_NAME
    known = KABKOTA.get(code)
    return known.name if known else code
