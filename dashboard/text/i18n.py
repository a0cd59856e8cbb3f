"""The screens' words, in Bahasa Indonesia (default) and English (`?lang=en`): `text(key, lang)`.

Each feature keeps its words beside it (`<feature>/words.py`, as dashboard/text/words.py's
`Vocabulary`); this module merges them into the one table the screens read, refusing a key that
two features define. Labels of metrics and feeds come from config.yaml, not from here.
"""

from __future__ import annotations

from urllib.parse import parse_qs

from dashboard.analyst.words import WORDS as ANALYST
from dashboard.applications.words import WORDS as APPLICATION_PAGES
from dashboard.auth.words import WORDS as AUTH
from dashboard.governor.words import WORDS as GOVERNOR
from dashboard.meeting.words import WORDS as MEETING
from dashboard.operator.words import WORDS as OPERATOR
from dashboard.public.words import WORDS as PUBLIC
from dashboard.text.words import Vocabulary, Words, merge
from dashboard.walls.words import WORDS as WALLS

LANGUAGES = ("id", "en")

TEXT = merge(WALLS, APPLICATION_PAGES, AUTH, PUBLIC, GOVERNOR, MEETING, ANALYST, OPERATOR)

# The seven OPD applications: what a screen calls them.
APPLICATIONS = Vocabulary({
    "e-bansos": Words(id="Bantuan Sosial", en="Social Assistance"),
    "e-pormas": Words(id="Pengaduan Masyarakat", en="Public Complaints"),
    "e-cctv": Words(id="CCTV", en="CCTV"),
    "e-statistik": Words(id="Statistik", en="Statistics"),
    "e-yankes": Words(id="Layanan Kesehatan", en="Health Services"),
    "e-lpse": Words(id="Pengadaan (LPSE)", en="Procurement (LPSE)"),
    "e-disikap": Words(id="Harga Pangan", en="Food Prices"),
})


def text(key: str, lang: str = "id", **values) -> str:
    """A UI string in the language, with `{placeholders}` filled."""
    return TEXT.say(key, lang, **values)


def application_name(app: str, lang: str = "id") -> str:
    """The plain name of an OPD application (e-bansos -> Bantuan Sosial)."""
    return APPLICATIONS.say_or(app, lang)


def language_from_query(search: str | None, default: str = "id") -> str:
    """The language a page asks for with `?lang=en`, else the site's default."""
    wanted = parse_qs((search or "").lstrip("?")).get("lang", [""])[0].lower()
    return wanted if wanted in LANGUAGES else (default if default in LANGUAGES else "id")
