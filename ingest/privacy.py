"""Masking personal data at ingest, before anything reaches Redis (UU 27/2022 PDP).

Fields with well-known personal names are masked in every feed; a feed adds its own in
`personal:` and can keep one unmasked only by naming it in `keep_personal:`.
"""

from __future__ import annotations

import re
from typing import Any, Callable

# Exact payload keys that hold personal data in the sources we know (SOURCES.md).
BUILTIN_PERSONAL = {
    "nik", "no_kk", "nomor_kk", "nkk", "nama", "nama_pelapor", "nama_penerima", "nama_pasien",
    "nama_kpm", "nama_lengkap", "telepon", "no_telepon", "no_telp", "no_hp", "nomor_hp", "hp",
    "phone", "email", "alamat", "tanggal_lahir", "tgl_lahir",
}


def mask_nik(value: str) -> str:
    """NIK/KK: the first 4 and last 4 digits stay (3601********0001)."""
    digits = re.sub(r"\D", "", value)
    if len(digits) <= 8:
        return "*" * len(digits)
    return digits[:4] + "*" * (len(digits) - 8) + digits[-4:]


def mask_phone(value: str) -> str:
    """Phone: the operator prefix and the last 2 digits stay (0812******78)."""
    digits = re.sub(r"\D", "", value)
    if len(digits) <= 6:
        return "*" * len(digits)
    return digits[:4] + "*" * (len(digits) - 6) + digits[-2:]


def mask_name(value: str) -> str:
    """Name: each word's initial stays (S*** W***)."""
    return " ".join(word[0] + "***" for word in value.split() if word)


def mask_email(value: str) -> str:
    local, _, domain = value.partition("@")
    return (local[:1] + "***@" + domain) if domain else "***"


def mask_other(value: str) -> str:
    return "[disamarkan]"


def masker_for(field: str) -> Callable[[str], str]:
    """Which masking a field gets, from its name."""
    name = field.lower()
    if "nik" in name or "kk" in name:
        return mask_nik
    if any(p in name for p in ("telp", "telepon", "phone", "hp")):
        return mask_phone
    if "email" in name:
        return mask_email
    if "nama" in name or "name" in name:
        return mask_name
    return mask_other


# Citizens type their NIK and phone number into complaint texts: in free text (a value with a
# space in it: a sentence, not an id) a 16-digit run or an Indonesian mobile number is masked too.
_NIK_IN_TEXT = re.compile(r"(?<!\d)\d{16}(?!\d)")
_PHONE_IN_TEXT = re.compile(r"(?<![\d+])(?:\+62|62|0)[\s.-]?8\d{1,3}(?:[\s.-]?\d{2,4}){2,3}(?!\d)")


def scrub_text(value: str) -> str:
    """Free text with any NIK or mobile number in it masked like the fields are."""
    if " " not in value:
        return value
    value = _NIK_IN_TEXT.sub(lambda m: mask_nik(m.group()), value)
    return _PHONE_IN_TEXT.sub(lambda m: mask_phone(m.group()), value)


def mask_personal(payload: dict[str, Any], extra: list[str], keep: list[str]) -> dict[str, Any]:
    """A copy of the payload with personal fields masked and NIKs and phone numbers in free text
    masked; a field named in `keep` is left as it came."""
    kept = set(keep)
    personal = (BUILTIN_PERSONAL | set(extra)) - kept
    out = dict(payload)
    for key, value in payload.items():
        if key in personal and value not in (None, ""):
            out[key] = masker_for(key)(str(value))
        elif key not in kept and isinstance(value, str):
            out[key] = scrub_text(value)
    return out
