"""Each callback's rule, fixed from its registration, and the check of a request against it by position.

Dash finds a callback by the request's `output` (the callback key) and hands the request's input and
state values to the function BY POSITION, whatever id or property each item names. So a rule that
looked at items by their property name could be talked around: an operator renamed the drill's first
input from `pathname` to `hash` and the e-Pormas path went through unchecked. Here the request must be
the callback's own shape, and the values are checked by the position the function reads them at:

- `output` is the full key of a registered callback;
- the role may run it: CALLBACK_RULES by the component of its first output (dashboard/auth/access.py);
- inputs and state: as many items as registered, each at its position with the registered component id
  and property (a pattern-matching id: the same keys, its fixed values equal, one item for MATCH and a
  list for ALL), outputs likewise, `changedPropIds` naming inputs only;
- every value the function reads that names what it reads for the user is checked for the user
  (VALUE_RULES below: a page path the user may open, an operator's own feed); the same for ids.

The rule of a key is built once from `app.callback_map` and kept: the request cannot change it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dash._utils import split_callback_id

from dashboard.auth.access import CALLBACK_RULES, EVERYONE, User, callback_name, may_open, rule_for

# A clientside callback has no server side: asked for, it is answered as not found, not run.
NO_SERVER_SIDE = "no server side"


def _page(user: User, value: Any) -> bool:
    return value is None or (isinstance(value, str) and may_open(user, value))


def _feed(user: User, value: Any) -> bool:
    return isinstance(value, str) and user.may_use_feed(value)


# Values a callback reads that say WHAT it reads: (component id or pattern "type", property) -> the
# user's right to that value. Callbacks open to everyone are not held to these: the router
# (`url.pathname`) answers every path itself, with a refusal or the way to sign in.
VALUE_RULES: dict[tuple[str, str], Callable[[User, Any], bool]] = {
    ("app-loc", "pathname"): _page,
    ("url", "pathname"): _page,
}
# Keys of pattern-matching ids that name what a callback works on, and the right they need.
ID_RULES: dict[str, Callable[[User, Any], bool]] = {
    "feed": _feed,  # an operator's upload form of one feed
}


@dataclass(frozen=True)
class Dep:
    """One registered input, state or output: its id (a string, or a pattern as a dict) and property."""

    id: str | dict
    property: str

    @classmethod
    def of(cls, spec: dict) -> Dep:
        component = spec["id"]
        if isinstance(component, str) and component.startswith("{"):
            try:
                component = json.loads(component)
            except ValueError:
                pass
        return cls(component, str(spec["property"]).split("@", 1)[0])

    @property
    def many(self) -> bool:
        """An ALL/ALLSMALLER pattern: the request sends a list of items for it."""
        return isinstance(self.id, dict) and any(v in (["ALL"], ["ALLSMALLER"]) for v in self.id.values())

    @property
    def name(self) -> str:
        if isinstance(self.id, dict):
            return str(self.id.get("type", ""))
        return self.id

    def matches(self, component: Any) -> bool:
        """Whether a concrete id from a request is this registered id (or fits its pattern)."""
        if not isinstance(self.id, dict):
            return isinstance(component, str) and component == self.id
        if not isinstance(component, dict) or set(component) != set(self.id):
            return False
        for key, wanted in self.id.items():
            if isinstance(wanted, list):  # a wildcard: any plain value
                if not isinstance(component[key], (str, int, float)) or isinstance(component[key], bool):
                    return False
            elif component[key] != wanted:
                return False
        return True


@dataclass(frozen=True)
class CallbackRule:
    """What one registered callback is: its key, the roles that may run it, its shape."""

    key: str
    name: str
    roles: frozenset[str]
    inputs: tuple[Dep, ...]
    state: tuple[Dep, ...]
    outputs: tuple[Dep, ...]
    server_side: bool

    @classmethod
    def of(cls, key: str, spec: dict) -> CallbackRule:
        name = callback_name(key, spec)
        outputs = () if spec.get("no_output") else tuple(Dep.of(o) for o in _as_list(split_callback_id(key)))
        return cls(key, name, rule_for(CALLBACK_RULES, name) or frozenset(),
                   tuple(Dep.of(d) for d in spec.get("inputs") or []),
                   tuple(Dep.of(d) for d in spec.get("state") or []),
                   outputs, callable(spec.get("callback")))


def _as_list(value: Any) -> list:
    return value if isinstance(value, list) else [value]


class CallbackRules:
    """The rule of every callback of one app, built from its registration on first use."""

    def __init__(self, dash_app):
        self.dash_app = dash_app
        self._rules: dict[str, CallbackRule] = {}

    def rule(self, key: Any) -> CallbackRule | None:
        if not isinstance(key, str):
            return None
        found = self._rules.get(key)
        if found is None:
            spec = self.dash_app.callback_map.get(key)
            if spec is None:
                return None
            found = self._rules[key] = CallbackRule.of(key, spec)
        return found

    def refusal(self, user: User, payload: Any) -> str | None:
        """Why `user` may not run this callback request, or None when they may."""
        if not isinstance(payload, dict):
            return "not a callback request"
        rule = self.rule(payload.get("output"))
        if rule is None:
            return "unknown callback"
        if user.role not in rule.roles:
            return f"callback {rule.name}"
        if not rule.server_side:
            return f"{NO_SERVER_SIDE}: callback {rule.name}"
        inputs, state = payload.get("inputs"), payload.get("state", [])
        shape = (_shape(rule.inputs, inputs, "input") or _shape(rule.state, state, "state")
                 or _outputs(rule, payload.get("outputs")) or _changed(inputs, payload.get("changedPropIds", [])))
        if shape:
            return f"callback {rule.name}: {shape}"
        if rule.roles == EVERYONE:
            return None
        for dep, item in zip(rule.inputs + rule.state, list(inputs) + list(state)):
            for one in item if isinstance(item, list) else [item]:
                what = _value_refusal(user, dep, one)
                if what:
                    return f"callback {rule.name} for {what}"
        return None


def _shape(deps: tuple[Dep, ...], items: Any, kind: str) -> str | None:
    """Why `items` is not the registered `deps`, position by position; None when it is."""
    if not isinstance(items, list) or len(items) != len(deps):
        return f"{kind}s are not the callback's {len(deps)}"
    for at, (dep, item) in enumerate(zip(deps, items)):
        many = item if isinstance(item, list) else None
        if dep.many != (many is not None):
            return f"{kind} {at} is not {dep.name}.{dep.property}"
        for one in many if many is not None else [item]:
            if not isinstance(one, dict) or one.get("property") != dep.property or not dep.matches(one.get("id")):
                return f"{kind} {at} is not {dep.name}.{dep.property}"
            if set(one) - {"id", "property", "value"}:
                return f"{kind} {at} carries more than id, property and value"
    return None


def _outputs(rule: CallbackRule, outputs: Any) -> str | None:
    if outputs is None or not rule.outputs:
        return None  # Dash takes them from the key
    items = outputs if len(rule.outputs) > 1 else [outputs]
    if not isinstance(items, list) or len(items) != len(rule.outputs):
        return "outputs are not the callback's"
    for dep, item in zip(rule.outputs, items):
        if dep.many != isinstance(item, list):
            return f"output {dep.name}.{dep.property} is not the callback's"
        for one in item if isinstance(item, list) else [item]:
            if not isinstance(one, dict) or str(one.get("property", "")).split("@", 1)[0] != dep.property \
                    or not dep.matches(one.get("id")):
                return f"output {dep.name}.{dep.property} is not the callback's"
    return None


def _prop_id(item: dict) -> str:
    component = item.get("id")
    if isinstance(component, dict):
        component = "{" + ",".join(f"{json.dumps(k)}:{json.dumps(component[k])}" for k in sorted(component)) + "}"
    return f"{component}.{item.get('property')}"


def _changed(inputs: list, changed: Any) -> str | None:
    if not isinstance(changed, list):
        return "changedPropIds is not a list"
    known = {_prop_id(one) for item in inputs for one in (item if isinstance(item, list) else [item])}
    strange = [c for c in changed if c not in known]
    return f"changed {str(strange[0])[:80]} is no input" if strange else None


def _value_refusal(user: User, dep: Dep, item: dict) -> str | None:
    """What the user may not have in this item (its value, or a pattern id's value), or None."""
    check = VALUE_RULES.get((dep.name, dep.property))
    if check is not None and not check(user, item.get("value")):
        return str(item.get("value"))[:120]
    component = item.get("id")
    if isinstance(component, dict):
        for key, right in ID_RULES.items():
            if key in component and not right(user, component[key]):
                return f"{key} {str(component[key])[:80]}"
    return None
