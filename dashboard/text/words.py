"""The one way the screens hold their words: every UI string in Bahasa Indonesia and English together.

A feature keeps its words beside it (`<feature>/words.py`) as a `Vocabulary` of `Words`, each the
Indonesian text and its English one side by side, so a string cannot exist in one language only.
dashboard/text/i18n.py merges the screens' vocabularies into the table `text(key, lang)` reads; a
feature with words of its own (it/, incidents/) reads its vocabulary directly. Bahasa Indonesia is
the default: any language but `en` reads it. `{placeholders}` are filled from keyword arguments.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Words:
    """One UI string: `id` (Bahasa Indonesia, the default) and `en` (with `?lang=en`)."""

    id: str
    en: str

    @classmethod
    def same(cls, text: str) -> Words:
        """Text shown as it stands in both languages: a name the source gives in Indonesian only."""
        return cls(text, text)

    def __call__(self, lang: str = "id", **values) -> str:
        """The string in `lang`, with its `{placeholders}` filled from `values` (text without values
        is returned as it stands, so words from config, which may hold braces, are safe too)."""
        chosen = self.en if lang == "en" else self.id
        return chosen.format(**values) if values else chosen


class Vocabulary(dict[str, Words]):
    """A feature's words by key."""

    def say(self, key: str, lang: str = "id", **values) -> str:
        """The words of `key` in `lang`; a key nobody defined is a KeyError naming it."""
        return self[key](lang, **values)

    def say_or(self, key: str, lang: str = "id", fallback: str | None = None) -> str:
        """The words of `key` in `lang`, or `fallback` (default: the key itself) for a key not listed,
        such as a state a newer version of the data has and this table not yet."""
        found = self.get(key)
        return found(lang) if found else (key if fallback is None else fallback)

    def in_language(self, lang: str, **values) -> dict[str, str]:
        """Every string of this vocabulary in `lang`, for a page that reads many at once: the
        placeholders `values` names are filled, the others stay for the page to fill."""
        keep = _Unfilled(values)
        return {key: (words.en if lang == "en" else words.id).format_map(keep) for key, words in self.items()}


class _Unfilled(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def merge(*vocabularies: Vocabulary) -> Vocabulary:
    """One vocabulary of several; a key two of them define is an error at import, not a silent win."""
    out = Vocabulary()
    for vocabulary in vocabularies:
        clash = set(vocabulary) & set(out)
        if clash:
            raise ValueError(f"UI string keys defined twice: {sorted(clash)}")
        out.update(vocabulary)
    return out
