"""A mistake in `incidents:` stops start-up with the YAML path of each mistake."""

from __future__ import annotations

import pytest

from core.config import ConfigError, parse_config


def test_mistakes_in_the_incident_settings_are_named_by_their_path():
    with pytest.raises(ConfigError) as caught:
        parse_config({
            "monitors": {"opds": {"dishub": {"name": "Dishub"}}},
            "incidents": {"report_notify": ["wa-gubernur"], "categories": {
                "a": {"name": "A", "alert_kinds": ["price"], "opd": "no-such-opd",
                      "escalation": [{"level": "operator", "wait": "30m", "notify": ["no-such-channel"]}]},
                "b": {"name": "B", "alert_kinds": ["price"], "resolve": "tiga hari"},
                "c": {"name": "C", "escalation": [{"level": "bupati", "wait": "1h"}]}}}})
    paths = {p.path for p in caught.value.problems}
    assert "incidents.categories.b.resolve" in paths and "incidents.categories.c.escalation.0.level" in paths
    with pytest.raises(ConfigError) as caught:
        parse_config({
            "monitors": {"opds": {"dishub": {"name": "Dishub"}}},
            "incidents": {"report_notify": ["wa-gubernur"], "categories": {
                "a": {"name": "A", "alert_kinds": ["price"], "opd": "no-such-opd",
                      "escalation": [{"level": "operator", "wait": "30m", "notify": ["no-such-channel"]}]},
                "b": {"name": "B", "alert_kinds": ["price"]}}}})
    problems = {p.path: p.message for p in caught.value.problems}
    assert problems == {
        "incidents.categories.a.opd": "unknown OPD 'no-such-opd' (monitors.opds)",
        "incidents.categories.a.escalation[0].notify[0]": "unknown channel 'no-such-channel' (monitors.channels)",
        "incidents.categories.b.alert_kinds[0]": "alert kind 'price' is also in category 'a'",
        "incidents.report_notify[0]": "unknown channel 'wa-gubernur' (monitors.channels)",
    }
