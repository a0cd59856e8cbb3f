"""The screens' words, in Bahasa Indonesia (default) and English (`?lang=en`): `text(key, lang)`.

Each feature keeps its words beside it (`<feature>/words.py`, as dashboard/text/words.py's
`Vocabulary`); this module merges them into the one table the screens read, refusing a key that
two features define. Labels of metrics and feeds come from config.yaml, not from here.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from urllib.parse import parse_qs

from core import apps
from dashboard.analyst.words import WORDS as ANALYST
from dashboard.applications.words import WORDS as APPLICATION_PAGES
from dashboard.auth.words import WORDS as AUTH
from dashboard.governor.words import WORDS as GOVERNOR
from dashboard.meeting.words import WORDS as MEETING
from dashboard.operator.words import WORDS as OPERATOR
from dashboard.public.words import WORDS as PUBLIC
from dashboard.text.words import Words, merge
from dashboard.walls.words import WORDS as WALLS

LANGUAGES = ("id", "en")

TEXT = merge(WALLS, APPLICATION_PAGES, AUTH, PUBLIC, GOVERNOR, MEETING, ANALYST, OPERATOR)


class _ApplicationNames(Mapping[str, Words]):
    """Application id -> its name in both languages, read from core/apps.py on every use (an
    application registered later has its name at once)."""

    def __getitem__(self, app_id: str) -> Words:
        app = apps.find(app_id)
        if app is None:
            raise KeyError(app_id)
        return Words(id=app.name_id, en=app.name_en)

    def __iter__(self) -> Iterator[str]:
        return iter(apps.APPLICATIONS)

    def __len__(self) -> int:
        return len(apps.APPLICATIONS)


# The OPD applications: what a screen calls them (core/apps.py holds the names).
APPLICATIONS: Mapping[str, dict[str, str]] = _ApplicationNames()


def text(key: str, lang: str = "id", **values) -> str:
    """A UI string in the language, with `{placeholders}` filled."""
    return TEXT.say(key, lang, **values)


def application_name(app: str, lang: str = "id") -> str:
    """The plain name of an OPD application (e-bansos -> Bantuan Sosial)."""
    found = apps.find(app)
    return found.name(lang) if found else app


def language_from_query(search: str | None, default: str = "id") -> str:
    """The language a page asks for with `?lang=en`, else the site's default."""
    wanted = parse_qs((search or "").lstrip("?")).get("lang", [""])[0].lower()
    return wanted if wanted in LANGUAGES else (default if default in LANGUAGES else "id")
