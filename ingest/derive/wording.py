"""How figures read in an alert message: Indonesian number formats (region names: core/regions.py)."""

from __future__ import annotations


def rupiah(value: float) -> str:
    """'Rp 85.000', with the dot as thousands separator."""
    return "Rp " + f"{value:,.0f}".replace(",", ".")


def percent(value: float) -> str:
    """'21 %' or '12,5 %': whole numbers without decimals, a decimal comma otherwise."""
    rounded = round(value, 1)
    text = f"{rounded:.0f}" if rounded == int(rounded) else f"{rounded:.1f}".replace(".", ",")
    return f"{text} %"

