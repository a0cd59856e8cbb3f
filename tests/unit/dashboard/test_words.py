"""Every UI string exists in Bahasa Indonesia and English with the same placeholders, in one mechanism."""

from __future__ import annotations

import string

import pytest

from dashboard.figures.specs import PAGE_SPECS
from dashboard.incidents import words as incident_words
from dashboard.it import words as it_words
from dashboard.public import figures as public_figures
from dashboard.public import opendata
from dashboard.text import definitions, formatting
from dashboard.text.i18n import APPLICATIONS, TEXT, application_name, text
from dashboard.text.words import Vocabulary, Words, merge

VOCABULARIES = {"screens": TEXT, "applications": APPLICATIONS,
                **{f"it.{n}": getattr(it_words, n) for n in ("WORDS", "IT_PAGE", "STATUS_PAGE")},
                **{f"incidents.{n}": getattr(incident_words, n)
                   for n in ("STATES", "STEPS", "CLOCKS", "CLOCK_STATUS", "WORDS", "PUBLIC_PAGE", "REPORTS_PAGE")},
                "formatting.AGE": formatting.AGE, "public.STATUS_WORDS": public_figures.STATUS_WORDS}
# Figures with a commodity and an indicator, so the headlines and series named after them are there too.
FIGURES = {"commodities": {"beras_medium": {"name": "Beras Medium", "harga": 13300}},
           "indicators": {"kemiskinan": {"name": "Persentase penduduk miskin", "nilai": 5.7}}}
SERIES = ["progress_pct", "kpm_tersalur", "open", "sla_breach", "aktif", "kamera", "nilai:kemiskinan",
          "keterisian_pct", "terisi", "hps_aktif", "nilai_kontrak", "selisih", "harga:beras_medium"]


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("name", sorted(VOCABULARIES))
def test_each_string_has_both_languages_with_the_same_placeholders(name):
    """An English page fills the same `{values}` as the Indonesian one, so neither can raise or show a brace."""
    vocabulary = VOCABULARIES[name]
    assert vocabulary and all(isinstance(w, Words) for w in vocabulary.values())
    wrong = {key: (w.id, w.en) for key, w in vocabulary.items()
             if not w.id.strip() or not w.en.strip() or _placeholders(w.id) != _placeholders(w.en)}
    assert not wrong


def test_definitions_are_words_too():
    figure = definitions.FIGURES[0].definition
    assert isinstance(figure, Words) and figure("en") != figure("id") and figure("fr") == figure("id")


def test_a_page_reads_its_words_in_its_language_and_indonesian_by_default():
    assert text("province") == "Provinsi Banten" and text("province", "en") == "Banten Province"
    assert text("province", "fr") == "Provinsi Banten"
    assert text("regions", "en", n=3, total=8) == "3 of 8 regencies/cities"
    assert application_name("e-yankes", "en") == "Health Services" and application_name("e-baru") == "e-baru"
    assert incident_words.state_word("ditangani", "en") == "In progress"
    assert incident_words.span(3 * 86400 + 4 * 3600, "id") == "3 h 4 j"
    assert incident_words.PUBLIC_PAGE.in_language("en", days=30)["resolved"] == "Resolved (30 days)"


def test_a_key_two_features_define_is_refused():
    one = Vocabulary({"title": Words(id="Judul", en="Title")})
    with pytest.raises(ValueError, match="defined twice: \\['title'\\]"):
        merge(one, Vocabulary({"title": Words(id="Lain", en="Other")}))
    with pytest.raises(KeyError, match="nope"):
        one.say("nope", "en")


def _page_words(spec) -> list:
    """Everything an application page labels: unit and record, columns, measures, headline, series."""
    measures = (spec.unit_measure, spec.record_measure, spec.map_measure(FIGURES))
    return ([spec.unit, spec.record] + [c.name for c in spec.unit_cols + spec.record_cols + spec.region_cols]
            + [m.name for m in measures if m] + [label for label, _, _ in spec.headline(FIGURES)]
            + [label for _, label, _ in spec.trend_names(SERIES)])


@pytest.mark.parametrize("key", sorted(PAGE_SPECS))
def test_an_application_page_labels_everything_in_both_languages(key):
    """No label of a page spec can be a bare string that one language would show untranslated or empty."""
    labels = _page_words(PAGE_SPECS[key])
    assert len(labels) > 10
    wrong = [w for w in labels if not isinstance(w, Words) or not w.id.strip() or not w.en.strip()]
    assert not wrong


def test_the_public_tables_and_datasets_are_words_in_both_languages():
    columns = [v for name, v in vars(public_figures).items() if name.endswith("_COLUMNS")]
    names = [c.name for group in columns for c in group]
    texts = [t for d in opendata.DATASETS.values() for t in (d.title, d.description, d.frequency)]
    assert len(columns) >= 7 and len(texts) == 3 * len(opendata.DATASETS)
    assert all(isinstance(w, Words) and w.id.strip() and w.en.strip() for w in names + texts)
    assert opendata.SUPPRESSION_NOTE("en").startswith("Counts under 5")
