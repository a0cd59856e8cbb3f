"""Masking personal data at ingest, before anything reaches Redis (UU 27/2022 PDP).

A field is personal by its name, however the source spells it: `NIK`, `no-ktp`, `noWa`,
`Nama Pelapor` and `nama_pelapor` are the same names here (case, separators and camelCase do
not count), at any depth of the payload (`"pelapor": {"nama", "nik", "telepon"}`, lists of
them). Besides named fields, NIKs, mobile numbers and e-mail addresses people type into free
text are masked. A feed adds names of its own in `personal:` (every feed: `ingest.personal`)
and keeps one unmasked only by naming it in `keep_personal:`, a reviewed decision.

Rejected input goes to the dead-letter stream masked the same way (`mask_input`): a row that
could not even be parsed is text, so its NIKs, numbers, addresses and `"nama": "..."` pairs are
found by pattern.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

# Words that make a field personal wherever they stand in its name, with the masking they get.
_NIK_WORDS = {"nik", "ktp", "nkk", "kk", "nomorindukkependudukan"}
_PHONE_WORDS = {"telepon", "telpon", "telp", "tlp", "phone", "hp", "handphone", "ponsel", "wa", "whatsapp", "mobile",
                "msisdn"}
_EMAIL_WORDS = {"email", "surel", "mail"}
_OTHER_WORDS = {"alamat", "address", "lahir", "birth", "dob", "rekening", "npwp", "bpjs"}
# A name word makes a field personal alone (`nama`) or with a person (`nama_pelapor`), not with a
# thing (`nama_lokasi`, `nama_paket`, `nama_rs`: places, tenders, hospitals are public).
_NAME_WORDS = {"nama", "name", "fullname", "namalengkap"}
_PERSON_WORDS = {"pelapor", "pengadu", "pemohon", "penerima", "pasien", "kpm", "warga", "lengkap", "full",
                 "reporter", "complainant", "ibu", "ayah", "kepala", "keluarga", "kk", "anak", "wali", "orang"}
# A field named after a person holds their name when it is text (`"pelapor": "Siti"`); when it is an
# object, its named fields are masked as such and the rest of it as personal data of unknown kind.
_PERSON_FIELDS = {"pelapor", "pengadu", "pemohon", "penerima", "pasien", "reporter", "complainant"}
# Joined spellings of two-word names, as sources write them without a separator (`nohp`, `nowa`).
_JOINED = {"nik": "nik", "noktp": "nik", "nomorktp": "nik", "nokk": "nik", "nomorkk": "nik", "nohp": "phone",
           "nomorhp": "phone", "notelp": "phone", "notelepon": "phone", "nomortelepon": "phone", "nowa": "phone",
           "nomorwa": "phone", "telepon": "phone", "email": "email", "tgllahir": "other", "tanggallahir": "other",
           "namapelapor": "name", "namalengkap": "name", "fullname": "name", "namapenerima": "name",
           "namapasien": "name"}


_VOCABULARY = (_NIK_WORDS | _PHONE_WORDS | _EMAIL_WORDS | _OTHER_WORDS | _NAME_WORDS | _PERSON_WORDS
               | _PERSON_FIELDS | {"no", "nomor", "tgl", "tanggal", "tempat", "e"})


@lru_cache(maxsize=4096)
def words_of(field: str) -> list[str]:
    """A field name as lower-case words: camelCase, `_`, `-`, `.` and spaces all split words."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", str(field))
    return [w for w in re.split(r"[^a-z0-9]+", spaced.lower()) if w]


@lru_cache(maxsize=4096)
def field_key(field: str) -> str:
    """The name with case and separators gone: how names are compared (`No_WA` == `nowa`)."""
    return "".join(words_of(field))


@lru_cache(maxsize=4096)  # a feed's records repeat the same few names: judged once each
def kind_of(field: str) -> str | None:
    """Which personal datum a field name holds (nik, phone, email, name, other), or None."""
    words = words_of(field)
    if not words:
        return None
    joined = "".join(words)
    if joined in _JOINED:
        return _JOINED[joined]
    # `noWa` is two words, `alamaT` one: camelCase is tried, and the name without it; a name written
    # without separators (`nomorwhatsapp`, `NAMAPELAPOR`) is split into the words it is made of.
    plain = [w for w in re.split(r"[^a-z0-9]+", str(field).lower()) if w]
    return (_kind_of_words(words) or (_kind_of_words(plain) if plain != words else None)
            or _kind_of_words(_segment(joined) or [joined]))


def _segment(joined: str) -> list[str] | None:
    """`nomorwhatsapp` -> [nomor, whatsapp]: the known words a name is made of, when it is made of them."""
    best: list[list[str] | None] = [[]] + [None] * len(joined)
    for end in range(1, len(joined) + 1):
        for start in range(max(0, end - 24), end):
            if best[start] is not None and joined[start:end] in _VOCABULARY:
                best[end] = best[start] + [joined[start:end]]
                break
    return best[-1]


def _kind_of_words(words: list[str]) -> str | None:
    found = set(words)
    if found & _NIK_WORDS:
        return "nik"
    if found & _PHONE_WORDS:
        return "phone"
    if found & _EMAIL_WORDS:
        return "email"
    if found & _OTHER_WORDS:
        return "other"
    if found & _NAME_WORDS and (len(words) == 1 or found - _NAME_WORDS <= _PERSON_WORDS | {"no", "nomor"}):
        return "name"
    if "".join(words) in _PERSON_FIELDS:
        return "name"
    return None


def mask_nik(value: str) -> str:
    """NIK/KK: the first 4 and last 4 digits stay (3601********0001)."""
    digits = re.sub(r"\D", "", value)
    if len(digits) <= 8:
        return "*" * len(digits) or "***"
    return digits[:4] + "*" * (len(digits) - 8) + digits[-4:]


def mask_phone(value: str) -> str:
    """Phone: the operator prefix and the last 2 digits stay (0812******78)."""
    digits = re.sub(r"\D", "", value)
    if len(digits) <= 6:
        return "*" * len(digits) or "***"
    return digits[:4] + "*" * (len(digits) - 6) + digits[-2:]


def mask_name(value: str) -> str:
    """Name: each word's initial stays (S*** W***)."""
    return " ".join(word[0] + "***" for word in value.split() if word) or "***"


def mask_email(value: str) -> str:
    """E-mail: the first letter and the domain stay (s***@mail.go.id)."""
    local, _, domain = value.partition("@")
    return (local[:1] + "***@" + domain) if domain else "***"


def mask_other(value: str) -> str:
    return "[disamarkan]"


_MASKERS: dict[str, Callable[[str], str]] = {"nik": mask_nik, "phone": mask_phone, "email": mask_email,
                                             "name": mask_name, "other": mask_other}


def masker_for(field: str) -> Callable[[str], str]:
    """Which masking a field gets, from its name (a name of unknown kind gets the plain mark)."""
    return _MASKERS[kind_of(field) or "other"]


# Citizens type their NIK, phone number and e-mail into complaint texts: in free text (a value with
# a space in it: a sentence, not an id) a 16-digit run or an Indonesian mobile number is masked; an
# e-mail address is masked wherever it stands.
_NIK_IN_TEXT = re.compile(r"(?<!\d)\d{16}(?!\d)")
_PHONE_IN_TEXT = re.compile(r"(?<![\d+])(?:\+62|62|0)[\s.-]?8\d{1,3}(?:[\s.-]?\d{2,4}){2,3}(?!\d)")
_EMAIL_IN_TEXT = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")


# What every NIK, mobile number or e-mail address has: a quick look before the full patterns.
_MAYBE_PERSONAL = re.compile(r"\d{9}|@|8\d{2}[\s.-]\d{3}")


def holds_personal_pattern(value: str) -> bool:
    """Whether a NIK, mobile number or e-mail address stands anywhere in the value."""
    return _MAYBE_PERSONAL.search(value) is not None and scrub_text(value, whole_text=True) != value


def scrub_text(value: str, whole_text: bool = False) -> str:
    """Free text with any NIK, mobile number or e-mail address in it masked like the fields are.

    A value without a space is an id or a number, left alone, unless `whole_text` says the value is
    a raw input (a dead letter) where a NIK may stand between commas."""
    if "@" in value:
        value = _EMAIL_IN_TEXT.sub(lambda m: mask_email(m.group()), value)
    if " " not in value and not whole_text:
        return value
    value = _NIK_IN_TEXT.sub(lambda m: mask_nik(m.group()), value)
    return _PHONE_IN_TEXT.sub(lambda m: mask_phone(m.group()), value)


class Masker:
    """The masking of one feed: the built-in names, the feed's own (`personal`), less `keep_personal`."""

    def __init__(self, extra: Iterable[str] = (), keep: Iterable[str] = ()):
        self.extra = {field_key(f) for f in extra}
        self.keep = {field_key(f) for f in keep}
        self._judged: dict[str, tuple[bool, str | None]] = {}

    def _judge(self, field: str) -> tuple[bool, str | None]:
        """(kept, personal kind) of a field name, judged once per name."""
        found = self._judged.get(field)
        if found is None:
            key = field_key(field)
            kept = key in self.keep
            kind = None if kept else (kind_of(field) or ("other" if key in self.extra else None))
            found = self._judged[field] = (kept, kind)
        return found

    def kind(self, field: str) -> str | None:
        """The personal kind of a field for this feed; None when it is not personal (or kept)."""
        return self._judge(str(field))[1]

    def kept(self, field: str) -> bool:
        return self._judge(str(field))[0]

    def value(self, value: Any, field: str | None = None, within: str | None = None) -> Any:
        """A value masked by its field's name and, inside, by its own fields and its text. Inside a
        personal field (`within`: `"alamat": {"jalan": ...}`) every value is personal."""
        kind = within
        if field is not None:
            kept, own = self._judge(field)
            if kept:
                return value
            kind = own or within
        if isinstance(value, str):
            if kind is not None and value:
                return _MASKERS[kind](value)
            return scrub_text(value) if " " in value or "@" in value else value
        if isinstance(value, dict):
            # A person's record (`pelapor`) holds more than a name: what it does not name is masked whole.
            inner = "other" if kind == "name" else kind
            return {k: self.value(v, str(k), inner) for k, v in value.items()}
        if isinstance(value, list):
            return [self.value(v, field, within) for v in value]
        if kind is not None and value is not None and not isinstance(value, bool):
            return _MASKERS[kind](str(value))
        return value

    def payload(self, payload: dict[str, Any]) -> dict[str, Any]:
        """A copy of a record's payload with every personal field and personal text masked."""
        out = {}
        judged = self._judged
        for key, value in payload.items():
            # Most fields of most records are plain numbers and short words: decided here, at once.
            kept, kind = judged.get(key) or self._judge(str(key))
            if kept or (kind is None and (value is None or type(value) in (int, float, bool))):
                out[key] = value
            elif kind is None and type(value) is str:
                out[key] = scrub_text(value) if " " in value or "@" in value else value
            else:
                out[key] = self.value(value, str(key))
        return out

    def text(self, raw: str) -> str:
        """Raw input that is not JSON (a broken line): `key: value` pairs of personal names and any
        NIK, number or address in it masked."""
        def pair(match: re.Match) -> str:
            kind = self.kind(match.group("key"))
            if kind is None:
                return match.group()
            value = match.group("value")
            if value.startswith("["):  # a list of them: each item
                return match.group("head") + _ITEM.sub(lambda m: one(m.group(), kind), value)
            return match.group("head") + one(value, kind)

        def one(value: str, kind: str) -> str:
            quote = value[0] if value[:1] in "\"'" else ""
            inner = value[1:-1] if quote and value.endswith(quote) and len(value) > 1 else value.strip(quote)
            return quote + _MASKERS[kind](inner) + quote
        return scrub_text(_PAIR.sub(pair, raw), whole_text=True)


# `"nama": "Siti"`, `nik=3601...`, `'no_wa': 0812...` in text that did not parse as JSON.
_PAIR = re.compile(r"""(?P<head>["']?(?P<key>[A-Za-z][\w .-]{0,40}?)["']?\s*[:=]\s*)"""
                   r"""(?P<value>\[[^\]{]*\]?|"(?:[^"\\]|\\.)*"?|'[^']*'?|[^,;&}\]\s"']+)""")
_ITEM = re.compile(r""""(?:[^"\\]|\\.)*"?|'[^']*'?|[^,\[\]\s"']+""")


def mask_personal(payload: dict[str, Any], extra: Iterable[str] = (), keep: Iterable[str] = ()) -> dict[str, Any]:
    """A copy of the payload with personal fields (at any depth) and personal text masked; a field
    named in `keep` is left as it came."""
    return Masker(extra, keep).payload(payload)


def mask_input(raw: Any, extra: Iterable[str] = (), keep: Iterable[str] = ()) -> Any:
    """Rejected input as the dead-letter stream may keep it: parsed JSON masked by field, else text
    masked by pattern. Bytes and text that hold JSON come back as masked JSON text."""
    masker = Masker(extra, keep)
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", errors="replace")
    if isinstance(raw, str):
        try:
            parsed = json.loads(raw)
        except ValueError:
            return masker.text(raw)
        if isinstance(parsed, (dict, list)):
            return json.dumps(masker.value(parsed), ensure_ascii=False)
        return masker.text(raw)
    if isinstance(raw, (dict, list)):
        return masker.value(raw)
    return masker.text(str(raw))
