"""Small-count suppression for the public side: no figure lets anyone single out fewer than five people.

Every count of people (or of what they did: complaints, payments, occupied beds) under 5 is shown
as "<5" (primary suppression). That alone is not enough: whoever knows a total and all but one of
its parts knows that part too (the province minus seven kab/kota gives the eighth). So `protect`
also withholds other counts, shown as "*" (secondary suppression), until no withheld small count
can be worked back out of what is shown:

    marks = protect(values, groups)   # {key: PRIMARY | SECONDARY} for every count to withhold
    shown(value, marks.get(key), "count", lang)   # "<5", "*" or "1.234"

`values` maps any hashable key to a count (None: no data). A *group* `(total, parts)` says that
`total` is the sum of `parts` plus what no shown part holds (records with no kab/kota, say): that
rest is an unknown of its own, never shown, and protected like a part when it is small. Tables
that share cells (a kab/kota x programme table with its row and column totals) are several groups
over the same keys, protected together.

The rule for each group whose total is known: the withheld members may not be the only unknown
(it would follow by subtraction), and together they must add up to 5 or more (else their sum gives
them away within a few). Known means shown, or following from other groups in the same way.
Counts withheld for a reason are picked smallest first, parts before totals, so the headline stays.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence

from dashboard.text import formatting

THRESHOLD = 5
SMALL = "<5"      # a count under THRESHOLD
WITHHELD = "*"    # a figure withheld so that a small count cannot be worked out from it
PRIMARY = "primary"
SECONDARY = "secondary"

Key = Hashable
Group = tuple[Key, Sequence[Key]]


class _Rest:
    """The unshown remainder of a group (its total minus its parts): a key no caller's key equals."""

    __slots__ = ("group",)

    def __init__(self, group: int):
        self.group = group

    def __repr__(self) -> str:
        return f"rest of group {self.group}"


def is_small(value: float | None, threshold: int = THRESHOLD) -> bool:
    """Whether a count must not be shown as it is (0 to 4: 'fewer than 5' includes none at all)."""
    return value is not None and value < threshold


def protect(values: Mapping[Key, float | None], groups: Iterable[Group],
            threshold: int = THRESHOLD) -> dict[Key, str]:
    """The counts to withhold: PRIMARY for each one under `threshold`, SECONDARY for what protects them."""
    values = dict(values)
    marks: dict[Key, str] = {k: PRIMARY for k, v in values.items() if is_small(v, threshold)}
    members: list[tuple[Key, ...]] = []
    rests: set[Key] = set()
    for i, (total, parts) in enumerate(groups):
        if values.get(total) is None:
            continue  # no total, nothing to subtract from
        parts = tuple(parts)
        keys = (total, *parts)
        rest = values[total] - sum(values.get(p) or 0 for p in parts)
        if rest > 1e-9:  # a rest of zero is no group of people at all (below zero: parts counted twice)
            key = _Rest(i)
            values[key] = rest
            rests.add(key)
            keys += (key,)
            if is_small(rest, threshold):
                marks[key] = PRIMARY
        members.append(keys)
    while True:
        leaking = _leak(values, members, marks, rests, threshold)
        if leaking is None:
            return {k: m for k, m in marks.items() if k not in rests}
        if not _withhold_one_more(values, members, marks, rests, leaking):
            # Nothing shown is left to withhold (cannot happen with shown totals): withhold the lot.
            for keys in members:
                for k in keys:
                    marks.setdefault(k, SECONDARY)
            return {k: m for k, m in marks.items() if k not in rests}


def _unknown(values, marks, rests) -> set[Key]:
    return {k for k in values if (k in marks or k in rests) and values[k] is not None}


def _closure(values, members, marks, rests) -> tuple[set[Key], dict[Key, int]]:
    """What stays unknown once every group with a single unknown member has given it away."""
    unknown = _unknown(values, marks, rests)
    derived_by: dict[Key, int] = {}
    changed = True
    while changed:
        changed = False
        for g, keys in enumerate(members):
            left = [k for k in keys if k in unknown]
            if len(left) == 1:
                unknown.discard(left[0])
                derived_by[left[0]] = g
                changed = True
    return unknown, derived_by


def _leak(values, members, marks, rests, threshold) -> tuple[int, dict[Key, int]] | None:
    """The first group that gives a small count away, with how each known-by-subtraction key was found."""
    unknown, derived_by = _closure(values, members, marks, rests)
    for key, g in derived_by.items():
        if marks.get(key) == PRIMARY:
            return g, derived_by
    for g, keys in enumerate(members):
        if _narrows(values, keys, unknown, marks, threshold):
            return g, derived_by
    return None


def _narrows(values, keys, unknown, marks, threshold) -> bool:
    """Whether a known total pins a withheld small part of its group down too closely.

    The withheld parts add up to what the total leaves (s). Together they must come to `threshold`
    or more, and each small one must keep two or more possible values given that everyone can see
    the others marked "<5" are at most threshold-1 (two withheld 4s beside a total that leaves 8
    are both 4)."""
    total, parts = keys[0], keys[1:]
    if total in unknown:
        return False
    hidden = [k for k in parts if k in unknown]
    small = [k for k in hidden if marks.get(k) == PRIMARY]
    if not small:
        return False
    left = sum(values[k] for k in hidden)
    if left < threshold:
        return True
    for i, k in enumerate(hidden):
        if marks.get(k) != PRIMARY:
            continue
        others = hidden[:i] + hidden[i + 1:]
        if any(marks.get(o) != PRIMARY for o in others):
            continue  # an unbounded neighbour can take up any remainder
        low = max(0.0, left - (threshold - 1) * len(others))
        high = min(threshold - 1, left)
        if high - low < 1:
            return True
    return False


def _withhold_one_more(values, members, marks, rests, leaking) -> bool:
    """Withhold the smallest shown part of the leaking group (its total if no part is shown)."""
    first, derived_by = leaking
    queue, seen = [first], set()
    while queue:
        g = queue.pop(0)
        if g in seen:
            continue
        seen.add(g)
        keys = members[g]
        shown = [k for k in keys[1:] if k not in marks and k not in rests and values.get(k) is not None]
        if shown:
            marks[min(shown, key=lambda k: values[k])] = SECONDARY
            return True
        if keys[0] not in marks:
            marks[keys[0]] = SECONDARY
            return True
        # Every member here is withheld, yet one was found by subtraction elsewhere: close that gap.
        queue += [derived_by[k] for k in keys if k in derived_by]
    return False


def follow(marks: dict[Key, str], key: Key, *sources: Key) -> None:
    """Withhold `key` (a share, an amount, a difference) when any count it is computed from is withheld."""
    if key not in marks and any(s in marks for s in sources):
        marks[key] = SECONDARY


def mark_text(mark: str | None) -> str | None:
    """What stands in for a withheld figure: '<5' for a small count, '*' for one withheld to protect it."""
    if mark == PRIMARY:
        return SMALL
    if mark == SECONDARY:
        return WITHHELD
    return None


def shown(value: float | None, mark: str | None, kind: str, lang: str = "id") -> str:
    """A figure as the public page writes it: its mark when withheld, else formatted the Indonesian way."""
    return mark_text(mark) or formatting.value(value, kind, lang)
