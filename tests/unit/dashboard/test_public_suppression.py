"""Small-count suppression (dashboard/public/suppression.py): "<5" for small counts, nothing shown gives one back.

Besides the cases a reader of the public page meets, a brute-force attacker checks random tables:
it tries every value the withheld cells could have, given what is shown, the group sums and that a
"<5" is 0 to 4, and must find at least two possible values for every small count.
"""

from __future__ import annotations

import itertools
import random

import pytest

from dashboard.public.suppression import PRIMARY, SECONDARY, SMALL, WITHHELD, follow, protect, shown

KABKOTA = ("3601", "3602", "3603", "3604", "3671", "3672", "3673", "3674")


def province(counts: dict[str, int], own: int = 0) -> tuple[dict, list]:
    """A by-kab/kota table: the province is the 8 kab/kota plus `own` (records with no kab/kota)."""
    values = dict(counts)
    values["36"] = sum(counts.values()) + own
    return values, [("36", list(counts))]


def test_nothing_small_nothing_withheld():
    values, groups = province({k: 10 + i for i, k in enumerate(KABKOTA)})
    assert protect(values, groups) == {}


def test_one_small_region_takes_a_second_one_with_it_and_the_total_stays():
    counts = {k: 40 for k in KABKOTA}
    counts["3672"], counts["3673"] = 3, 12  # Cilegon small; Kota Serang the smallest of the rest
    values, groups = province(counts)
    marks = protect(values, groups)
    assert marks == {"3672": PRIMARY, "3673": SECONDARY}
    # What the public sees cannot be subtracted back to Cilegon's 3.
    visible = {k: v for k, v in values.items() if k not in marks}
    assert values["36"] - sum(v for k, v in visible.items() if k != "36") == 15  # 3 + 12 together only


def test_zero_is_fewer_than_five_too():
    counts = {k: 20 for k in KABKOTA}
    counts["3601"] = 0
    marks = protect(*province(counts))
    assert marks["3601"] == PRIMARY and list(marks.values()).count(SECONDARY) == 1


def test_two_small_regions_that_add_up_to_five_or_more_protect_each_other():
    counts = {k: 30 for k in KABKOTA}
    counts["3601"], counts["3602"] = 3, 4
    assert protect(*province(counts)) == {"3601": PRIMARY, "3602": PRIMARY}


def test_two_small_regions_adding_up_to_less_than_five_need_a_third():
    counts = {k: 30 for k in KABKOTA}
    counts["3601"], counts["3602"], counts["3603"] = 1, 2, 25
    marks = protect(*province(counts))
    assert marks == {"3601": PRIMARY, "3602": PRIMARY, "3603": SECONDARY}


def test_two_fours_beside_the_total_would_both_be_known():
    # 4 + 4 = 8: the sum is 5 or more, but two "<5" that make 8 can only be 4 and 4.
    counts = {k: 30 for k in KABKOTA}
    counts["3601"], counts["3602"] = 4, 4
    marks = protect(*province(counts))
    assert marks["3601"] == marks["3602"] == PRIMARY
    assert list(marks.values()).count(SECONDARY) == 1


def test_a_small_province_level_remainder_is_protected_like_a_region():
    # 3 complaints with no kab/kota: the province minus all 8 shown kab/kota would give them away.
    counts = {k: 30 + i for i, k in enumerate(KABKOTA)}
    values, groups = province(counts, own=3)
    marks = protect(values, groups)
    assert marks == {"3601": SECONDARY}  # the smallest kab/kota; the total stays


def test_a_small_total_is_small_itself():
    counts = {k: 0 for k in KABKOTA}
    counts["3673"] = 3
    marks = protect(*province(counts))
    assert marks["36"] == PRIMARY and all(marks[k] == PRIMARY for k in KABKOTA)


def test_programme_by_region_table_protects_rows_and_columns():
    # Two programmes by three kab/kota, with region totals, programme totals and the grand total.
    cells = {("3601", "PKH"): 10, ("3601", "BPNT"): 2, ("3602", "PKH"): 8, ("3602", "BPNT"): 9,
             ("3603", "PKH"): 7, ("3603", "BPNT"): 6}
    values, groups = table_2d(cells)
    marks = protect(values, groups)
    assert marks[("3601", "BPNT")] == PRIMARY
    assert_no_small_count_recoverable(values, groups, marks)


def test_follow_withholds_a_share_of_a_withheld_count():
    marks = {("terisi", "3673"): PRIMARY}
    follow(marks, ("keterisian", "3673"), ("terisi", "3673"), ("kapasitas", "3673"))
    follow(marks, ("keterisian", "3671"), ("terisi", "3671"))
    assert marks == {("terisi", "3673"): PRIMARY, ("keterisian", "3673"): SECONDARY}


def test_shown_writes_marks_and_indonesian_numbers():
    assert shown(3, PRIMARY, "count") == SMALL == "<5"
    assert shown(1234, SECONDARY, "count") == WITHHELD
    assert shown(1234, None, "count") == "1.234"
    assert shown(45.5, None, "percent") == "45,5 %"
    assert shown(45.5, None, "percent", "en") == "45.5 %"
    assert shown(None, None, "count") == "–"


# ---- the attacker -------------------------------------------------------------------------------------


def table_2d(cells: dict[tuple[str, str], int]) -> tuple[dict, list]:
    """Cells with their row totals, column totals and grand total, groups children first."""
    rows = sorted({r for r, _ in cells})
    cols = sorted({c for _, c in cells})
    values = dict(cells)
    for r in rows:
        values[(r, "*")] = sum(cells[(r, c)] for c in cols)
    for c in cols:
        values[("*", c)] = sum(cells[(r, c)] for r in rows)
    values[("*", "*")] = sum(cells.values())
    groups = [((r, "*"), [(r, c) for c in cols]) for r in rows]
    groups += [(("*", c), [(r, c) for r in rows]) for c in cols]
    groups += [(("*", "*"), [(r, "*") for r in rows]), (("*", "*"), [("*", c) for c in cols])]
    return values, groups


def assert_no_small_count_recoverable(values: dict, groups: list, marks: dict) -> None:
    """Try every value the withheld cells could take (0-4 for a "<5", else up to a bit past the largest
    cell) against what is shown and the sums; every small count must keep two or more possible values."""
    totals = {t for t, _ in groups}
    leaves = [k for k in values if k not in totals]
    span = max(values[k] for k in leaves) + 6
    hidden = [k for k in leaves if k in marks]
    domains = [range(5) if marks[k] == PRIMARY else range(span) for k in hidden]
    possible = {k: set() for k, m in marks.items() if m == PRIMARY}
    for guess in itertools.product(*domains):
        trial = {k: values[k] for k in leaves if k not in marks}
        trial.update(zip(hidden, guess, strict=True))
        fits = True
        for total, parts in groups:
            s = sum(trial[p] for p in parts)
            if trial.setdefault(total, s) != s or (total not in marks and s != values[total]) \
                    or (marks.get(total) == PRIMARY and s >= 5):
                fits = False
                break
        if fits:
            for k in possible:
                possible[k].add(trial[k])
    for k, seen in possible.items():
        assert values[k] in seen, f"the attacker's model is wrong: {k}={values[k]} not among {seen}"
        assert len(seen) >= 2, f"{k} is recoverable: only {seen} fit what is shown ({marks})"


def check_1d(values: dict, parts: list[str], own: int, marks: dict) -> None:
    """A by-kab/kota table: what the withheld kab/kota and the unshown rest add up to is the total minus
    what is shown; a small one of them must keep two values, and together they must make 5 or more."""
    if "36" in marks:
        return  # the total is small itself: every part is "<5" and nothing adds up to anything
    hidden = {k: (4 if marks[k] == PRIMARY else None) for k in parts if k in marks}
    if own:
        hidden["rest"] = None  # unshown, any value from 0 up
    small = {k for k in parts if marks.get(k) == PRIMARY} | ({"rest"} if 0 < own < 5 else set())
    true = dict(values, rest=own)
    left = values["36"] - sum(values[k] for k in parts if k not in marks)
    assert left == sum(true[k] for k in hidden)
    if small:
        assert left >= 5, (values, own, marks)
    for k in small:
        others = [hidden[o] for o in hidden if o != k]
        cap = None if any(b is None for b in others) else sum(others)
        seen = {v for v in range(0, left + 1) if (hidden[k] is None or v <= hidden[k])
                and (left - v == 0 if not others else (cap is None or left - v <= cap))}
        assert true[k] in seen and len(seen) >= 2, (values, own, marks, k, seen)


def test_random_by_region_tables_never_give_a_small_count_away():
    rng = random.Random(6)
    for _ in range(500):
        n = rng.randint(2, 8)
        counts = {KABKOTA[i]: rng.choice([0, 1, 2, 3, 4, 5, 7, 12, 30]) for i in range(n)}
        own = rng.choice([0, 0, 0, 1, 3, 6])
        values, groups = province(counts, own)
        marks = protect(values, groups)
        assert {k for k, v in values.items() if v < 5} == {k for k, m in marks.items() if m == PRIMARY}
        check_1d(values, list(counts), own, marks)


@pytest.mark.parametrize("seed", range(30))
def test_random_two_way_tables_never_give_a_small_count_away(seed):
    rng = random.Random(seed)
    rows = ["3601", "3602", "3603"][: rng.randint(2, 3)]
    cells = {(r, c): rng.choice([0, 1, 2, 3, 6, 9]) for r in rows for c in ("PKH", "BPNT")}
    values, groups = table_2d(cells)
    marks = protect(values, groups)
    assert {k for k, v in values.items() if v < 5} == {k for k, m in marks.items() if m == PRIMARY}
    if sum(1 for k in cells if k in marks) <= 4:  # more unknowns than that take too long to try out
        assert_no_small_count_recoverable(values, groups, marks)
