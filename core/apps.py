"""The province's agency applications, in one place: every list of applications is built from here.

Each entry says what the screens call the application, its colour, the port offset of its simulated
service and where its figures are derived and shown. The derive class and the page spec are named,
not imported, so both halves can read this module without pulling in the other:

    derive     "ingest.derive.bansos:BansosFigures"  (module:class, loaded by the figures processor)
    page_spec  "e-bansos"                            (a key of dashboard/figures/specs.py's PAGE_SPECS)

Adding an application is one entry in BUILT_IN, its derive module and its page spec. The order of
BUILT_IN is the order of every screen that lists the applications.

`APPLICATIONS` is a live view of the ids in order: a test that registers one more application (see
`registered`) sees it in every list without reloading a module.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

_ID = re.compile(r"^e-[a-z0-9][a-z0-9-]*$")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_DOTTED = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$")


@dataclass(frozen=True)
class Application:
    """One agency application and everything the project needs to know of it by name."""

    id: str  # e-bansos: URLs (/app/e-bansos), Redis keys, `application:` in config.yaml
    short: str  # e-Bansos: the application's own name, the same in both languages
    name_id: str  # Bantuan Sosial: what a screen calls it in Bahasa Indonesia
    name_en: str  # Social Assistance: and in English (?lang=en)
    colour: str  # #fb923c: its tiles' accent and badges (#rrggbb)
    derive: str  # module:class of its ApplicationFigures (ingest/derive/application.py)
    page_spec: str  # key of its page spec in dashboard/figures/specs.py
    demo_slot: int | None = None  # its simulated service listens on demo.base_port + slot; None: none

    def name(self, lang: str = "id") -> str:
        return self.name_en if lang == "en" else self.name_id

    def problems(self) -> list[str]:
        """What is wrong with the entry itself, in words."""
        out = []
        if not _ID.match(self.id):
            out.append(f"id '{self.id}' must look like e-<name> (lower case letters, digits and -)")
        if not _COLOUR.match(self.colour):
            out.append(f"colour '{self.colour}' must be #rrggbb")
        if not _DOTTED.match(self.derive):
            out.append(f"derive '{self.derive}' must be module:class")
        if not self.page_spec:
            out.append("page_spec must name a page spec")
        if not (self.short and self.name_id and self.name_en):
            out.append("short, name_id and name_en must not be empty")
        if self.demo_slot is not None and self.demo_slot < 0:
            out.append(f"demo_slot {self.demo_slot} must be >= 0")
        return out


BUILT_IN: tuple[Application, ...] = (
    Application("e-bansos", "e-Bansos", "Bantuan Sosial", "Social Assistance", "#fb923c",
                "ingest.derive.bansos:BansosFigures", "e-bansos", demo_slot=0),
    Application("e-pormas", "e-Pormas", "Pengaduan Masyarakat", "Public Complaints", "#c084fc",
                "ingest.derive.pormas:PormasFigures", "e-pormas", demo_slot=1),
    Application("e-cctv", "e-CCTV", "CCTV", "CCTV", "#22d3ee",
                "ingest.derive.cctv:CctvFigures", "e-cctv", demo_slot=2),
    Application("e-statistik", "e-Statistik", "Statistik", "Statistics", "#60a5fa",
                "ingest.derive.statistik:StatistikFigures", "e-statistik", demo_slot=3),
    Application("e-yankes", "e-Yankes", "Layanan Kesehatan", "Health Services", "#34d399",
                "ingest.derive.yankes:YankesFigures", "e-yankes", demo_slot=4),
    Application("e-lpse", "e-LPSE", "Pengadaan (LPSE)", "Procurement (LPSE)", "#f472b6",
                "ingest.derive.lpse:LpseFigures", "e-lpse", demo_slot=5),
    Application("e-disikap", "e-Disikap", "Harga Pangan", "Food Prices", "#a3e635",
                "ingest.derive.disikap:DisikapFigures", "e-disikap", demo_slot=6),
)

_registry: dict[str, Application] = {}


class ApplicationError(ValueError):
    """A registry entry that cannot be used; the message names the application and what is wrong."""


def register(app: Application) -> Application:
    """Add an application after the others; refuses a broken entry, a second id or a taken demo slot."""
    problems = app.problems()
    if app.id in _registry:
        problems.append("is registered already")
    taken = {a.demo_slot: a.id for a in _registry.values() if a.demo_slot is not None}
    if app.demo_slot is not None and app.demo_slot in taken:
        problems.append(f"demo_slot {app.demo_slot} is {taken[app.demo_slot]}'s")
    if problems:
        raise ApplicationError(f"application {app.id}: " + "; ".join(problems))
    _registry[app.id] = app
    return app


def unregister(app_id: str) -> None:
    _registry.pop(app_id, None)


@contextmanager
def registered(*apps: Application) -> Iterator[tuple[Application, ...]]:
    """Applications added for the duration of a `with` block (tests), then removed again."""
    added = []
    try:
        for app in apps:
            added.append(register(app))
        yield tuple(added)
    finally:
        for app in added:
            unregister(app.id)


def all_applications() -> tuple[Application, ...]:
    """Every registered application, in screen order."""
    return tuple(_registry.values())


def find(app_id: str) -> Application | None:
    return _registry.get(app_id)


def is_application(app_id: object) -> bool:
    return isinstance(app_id, str) and app_id in _registry


def load(app: Application, what: str) -> object:
    """The object an application names by `module:name` (its `derive`), imported on first use."""
    dotted = getattr(app, what)
    module_name, _, attr = dotted.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ApplicationError(f"application {app.id}: {what} '{dotted}': cannot import {module_name}: {exc}") from exc
    try:
        return getattr(module, attr)
    except AttributeError:
        raise ApplicationError(f"application {app.id}: {what} '{dotted}': {module_name} has no {attr}") from None


def demo_slots() -> dict[str, int]:
    """Application id -> demo slot, for the applications with a simulated service."""
    return {a.id: a.demo_slot for a in _registry.values() if a.demo_slot is not None}


def demo_slot_count() -> int:
    """How many ports the simulated services take from demo.base_port (the highest slot + 1)."""
    return max(demo_slots().values(), default=-1) + 1


class _Ids(Sequence[str]):
    """The ids of the registered applications in order, read afresh on every use (a tuple otherwise:
    `in`, indexing, `index`, `len`, `+` with a tuple, equality with a tuple)."""

    def _ids(self) -> tuple[str, ...]:
        return tuple(_registry)

    def __getitem__(self, index):
        return self._ids()[index]

    def __len__(self) -> int:
        return len(_registry)

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids())

    def __contains__(self, value: object) -> bool:
        return value in _registry

    def __add__(self, other):
        return self._ids() + tuple(other)

    def __radd__(self, other):
        return tuple(other) + self._ids()

    def __eq__(self, other: object) -> bool:
        return self._ids() == (other._ids() if isinstance(other, _Ids) else other)

    def __hash__(self) -> int:
        return hash(self._ids())

    def __repr__(self) -> str:
        return repr(self._ids())


APPLICATIONS: Sequence[str] = _Ids()

for _app in BUILT_IN:
    register(_app)
