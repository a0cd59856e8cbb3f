"""Personal data masked at the door, wherever it hides: properties checked on generated payloads.

Payloads are built from harmless fields, with personal fields (under any spelling of their name:
case, `_`, `-`, `.`, space, camelCase or none) placed at any depth, in objects and lists; and free
text with NIKs, mobile numbers and e-mail addresses typed into it. Whatever the shape, no personal
value may come out of the masking, and nothing harmless may be changed.
"""

from __future__ import annotations

import json
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.privacy import kind_of, mask_input, mask_personal, scrub_text

SETTINGS = settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

# (name as the sources write it, the kind of datum it holds)
PERSONAL_NAMES = [("nik", "nik"), ("no_ktp", "nik"), ("nomor_kk", "nik"), ("nama", "name"),
                  ("nama_pelapor", "name"), ("nama_lengkap", "name"), ("telepon", "phone"), ("no_hp", "phone"),
                  ("no_wa", "phone"), ("nomor_whatsapp", "phone"), ("email", "email"), ("alamat", "other"),
                  ("tanggal_lahir", "other")]


@st.composite
def spelling(draw, name: str) -> str:
    """One way a source may write a field name: any case, any separator, camelCase."""
    words = name.split("_")
    style = draw(st.sampled_from(["sep", "camel", "upper", "mixed"]))
    if style == "camel":
        return words[0] + "".join(w.capitalize() for w in words[1:])
    sep = draw(st.sampled_from(["_", "-", " ", ".", ""]))
    text = sep.join(words)
    if style == "upper":
        return text.upper()
    if style == "mixed":
        flips = draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text)))
        return "".join(c.upper() if f else c for c, f in zip(text, flips))
    return text


NIK = st.from_regex(r"\A36[0-7][0-9]{13}\Z")
PHONE = st.tuples(st.sampled_from(["08", "+628", "628"]), st.from_regex(r"\A[1-9][0-9]{8,10}\Z")).map("".join)
EMAIL = st.tuples(st.from_regex(r"\A[a-z]{3,8}[0-9]{0,3}\Z"),
                  st.sampled_from(["gmail.com", "mail.go.id", "yahoo.co.id"])
                  ).map(lambda p: f"{p[0]}@{p[1]}")
WORD = st.from_regex(r"\A[A-Z][a-z]{4,9}\Z")
NAME = st.lists(WORD, min_size=1, max_size=3).map(" ".join)
ADDRESS = st.tuples(WORD, st.integers(1, 300)).map(lambda p: f"Jl. {p[0]} No. {p[1]}")
VALUES = {"nik": NIK, "phone": PHONE, "email": EMAIL, "name": NAME, "other": ADDRESS}

# Harmless names and values: ids, counts, flags, categories (lower-case words, no digits runs, no @).
HARMLESS_NAME = st.from_regex(r"\A[a-z]{3,10}(_[a-z]{3,8})?\Z").filter(lambda n: kind_of(n) is None)
HARMLESS_VALUE = st.one_of(st.integers(-10**6, 10**6), st.booleans(), st.none(),
                           st.from_regex(r"\A[a-z]{1,12}( [a-z]{1,12}){0,3}\Z"), st.floats(allow_nan=False, width=32))


@st.composite
def personal_field(draw) -> tuple[str, object, str, str]:
    """(field name as spelled, value as stored, the plain value to look for, kind)."""
    name, kind = draw(st.sampled_from(PERSONAL_NAMES))
    value = draw(VALUES[kind])
    stored: object = value
    if kind == "nik" and draw(st.booleans()):
        stored = int(value)  # some sources send the NIK as a number
    if draw(st.booleans()):
        stored = [stored]  # or a list of them
    return draw(spelling(name)), stored, value, kind


HARMLESS = st.recursive(HARMLESS_VALUE, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                                 st.dictionaries(HARMLESS_NAME, inner, max_size=3)),
                        max_leaves=12)


@st.composite
def payload_with_personal_data(draw) -> tuple[dict, list[tuple[str, str]]]:
    """A payload with personal fields hidden at random depths, and the (value, kind) placed."""
    payload = draw(st.dictionaries(HARMLESS_NAME, HARMLESS, min_size=1, max_size=5))
    placed: list[tuple[str, str]] = []
    for _ in range(draw(st.integers(1, 5))):
        name, stored, plain, kind = draw(personal_field())
        placed.append((plain, kind))
        node = payload
        for _ in range(draw(st.integers(0, 3))):  # walk (and build) a path of nested objects and lists
            key = draw(st.sampled_from(["pelapor", "data", "detail", "items", "lampiran"]))
            child = node.get(key)
            if not isinstance(child, (dict, list)):
                child = node[key] = draw(st.sampled_from([{}, []]))
            if isinstance(child, list):
                child.append({})
                child = child[-1]
            node = child
        node[name] = stored
    return payload, placed


def leaves(value) -> list[str]:
    """Every stored value as text (keys aside)."""
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in leaves(v)]
    if isinstance(value, list):
        return [leaf for v in value for leaf in leaves(v)]
    return [str(value)]


def exposed(plain: str, kind: str, text: str) -> bool:
    """Whether a personal value can still be read in the text."""
    if kind in ("nik", "phone"):
        digits = re.sub(r"\D", "", plain)
        # Digit by digit within one value (a number written 0812-3456-7890 too), not across values.
        tokens = re.split(r"[\n\",:{}\[\]]+|\s{2,}", text)
        return plain in text or any(digits[-10:] in re.sub(r"\D", "", t) for t in tokens)
    if kind == "name":
        return any(word in text for word in plain.split())
    if kind == "email":
        return plain.split("@")[0] + "@" in text
    return plain in text


@SETTINGS
@given(payload_with_personal_data())
def test_no_personal_value_survives_at_any_depth_under_any_spelling(generated):
    payload, placed = generated
    masked = mask_personal(payload)
    text = "\n".join(leaves(masked))
    for plain, kind in placed:
        assert not exposed(plain, kind, text), (plain, kind, masked)


@SETTINGS
@given(st.dictionaries(HARMLESS_NAME, HARMLESS, max_size=6))
def test_nothing_harmless_is_changed(payload):
    assert mask_personal(payload) == payload


@SETTINGS
@given(payload_with_personal_data())
def test_the_dead_letter_keeps_masked_json_whole_or_cut_off(generated):
    payload, placed = generated
    whole = json.dumps(payload, ensure_ascii=False)
    # A body that parses is masked by field and stays JSON of the same shape.
    masked = json.loads(mask_input(whole.encode()))
    assert set(masked) == set(payload)
    for cut in (len(whole), len(whole) * 2 // 3, len(whole) // 2):
        # A body cut off in transit is text: masked by its "name": value pairs and patterns.
        text = mask_input(whole[:cut]) if cut < len(whole) else json.dumps(masked, ensure_ascii=False)
        for plain, kind in placed:
            if whole.find(plain) + len(plain) <= cut:  # the value came through whole (or not at all)
                assert not exposed(plain, kind, text), (plain, kind, text)


@SETTINGS
@given(st.lists(st.from_regex(r"\A[a-z]{2,9}\Z"), min_size=2, max_size=8), st.lists(
    st.one_of(NIK.map(lambda v: (v, "nik")), PHONE.map(lambda v: (v, "phone")), EMAIL.map(lambda v: (v, "email"))),
    min_size=1, max_size=3), st.randoms(use_true_random=False))
def test_nik_phone_and_email_typed_into_free_text_are_masked(words, secrets, rnd):
    parts = list(words)
    for value, _ in secrets:
        parts.insert(rnd.randrange(len(parts) + 1), value + rnd.choice(["", ",", "."]))
    text = " ".join(parts)
    scrubbed = scrub_text(text)
    for value, kind in secrets:
        assert not exposed(value, kind, scrubbed), (value, scrubbed)
    assert [w for w in scrubbed.split() if w in words] == [w for w in text.split() if w in words]


@SETTINGS
@given(st.sampled_from(PERSONAL_NAMES).flatmap(lambda nk: st.tuples(spelling(nk[0]), spelling(nk[0]),
                                                                     VALUES[nk[1]])))
def test_keep_personal_keeps_a_field_however_either_side_spells_it(case):
    in_payload, in_config, value = case
    other = "no_hp" if kind_of(in_config) != "phone" else "nik"
    payload = {"data": {in_payload: value}, "other": {other: "081234567890123"[:len(other) + 11]}}
    kept = mask_personal(payload, keep=[in_config])
    assert kept["data"][in_payload] == value
    assert kept["other"] != payload["other"]  # only the named field is kept
