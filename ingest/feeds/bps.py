"""bps: the BPS WebAPI (`list/model/data`), one question per variable, `datacontent` decoded into rows.

A `datacontent` key is the plain concatenation vervar + var + turvar + tahun + turtahun of the
values listed beside it, so it cannot be split by position; it is matched against every
combination of the listed values instead. A key that matches none, or more than one, is a dead
letter with the reason, never a guess.
"""

from __future__ import annotations

import itertools
from typing import Any

import aiohttp
from pydantic import Field, field_validator

from core.regions import PROVINCE_CODE, normalize_region
from ingest.feeds.base import PollingFeed, PollOptions
from ingest.feeds.parsing import Answer, usable_answers
from ingest.normalize import parse_number
from ingest.records import Malformed

# BPS lists the total of a domain as vervar 9999.
DOMAIN_TOTAL = "9999"


class BpsOptions(PollOptions):
    # The WebAPI address with {var} (and {key} for the API key) in it, e.g.
    # https://webapi.bps.go.id/v1/api/list/model/data/lang/ind/domain/3600/var/{var}/key/{key}/
    url: str
    vars: list[int] = Field(min_length=1)
    key: str = ""
    # Short indicator names by variable id (519: kemiskinan), so figures need not match BPS's long labels.
    indicators: dict[int, str] = Field(default_factory=dict)

    @field_validator("url")
    @classmethod
    def _has_var(cls, url):
        if "{var}" not in url:
            raise ValueError("must contain {var} where the variable id goes")
        return url


class BpsFeed(PollingFeed):
    kind = "bps"
    Options = BpsOptions

    async def fetch(self, session: aiohttp.ClientSession) -> list[Answer]:
        answers = []
        for var in self.options.vars:
            url = self.options.url.replace("{var}", str(var)).replace("{key}", self.options.key)
            answers.append(Answer(f"BPS var {var}", await self.get_url(session, url)))
        return answers

    def parse(self, raw: list[Answer]) -> list[Any]:
        usable, rows = usable_answers(raw)
        for answer, data in usable:
            rows.extend(parse_webapi(data, self.options.indicators, where=f"{answer.query}: "))
        return rows


def _entries(data: dict, name: str) -> list[dict]:
    entries = data.get(name)
    if isinstance(entries, dict):
        entries = [entries]
    if not isinstance(entries, list) or not entries or not all(isinstance(e, dict) and "val" in e for e in entries):
        raise ValueError(f"'{name}' is not a list of {{val, label}}")
    return entries


def parse_webapi(data: Any, indicators: dict[int, str] | None = None, where: str = "") -> list[Any]:
    """One row per `datacontent` entry: indicator, region, year, period and value."""
    if not isinstance(data, dict) or data.get("status") != "OK":
        raise ValueError(f"{where}BPS answered status {data.get('status') if isinstance(data, dict) else data!r}")
    if data.get("data-availability") != "available":
        return [Malformed(f"{where}data not available ({data.get('data-availability')})", str(data)[:2000])]
    try:
        dims = [_entries(data, n) for n in ("vervar", "var", "turvar", "tahun", "turtahun")]
        content = data["datacontent"]
        if not isinstance(content, dict):
            raise ValueError("'datacontent' is not an object")
    except (KeyError, ValueError) as exc:
        return [Malformed(f"{where}{exc}", str(data)[:2000])]
    combos: dict[str, list[tuple[dict, ...]]] = {}
    for combo in itertools.product(*dims):
        combos.setdefault("".join(str(e["val"]) for e in combo), []).append(combo)
    rows: list[Any] = []
    for key, value in content.items():
        matches = combos.get(str(key), [])
        raw = f'{{"{key}": {value!r}}}'
        if len(matches) != 1:
            problem = "matches no" if not matches else f"matches {len(matches)} combinations of"
            rows.append(Malformed(f"{where}datacontent key '{key}' {problem} vervar+var+turvar+tahun+turtahun",
                                  raw))
            continue
        if value is None or (isinstance(value, str) and value.strip() in ("", "-")):
            continue  # BPS leaves a cell empty when the figure is not published
        try:
            number = parse_number(value)
        except ValueError as exc:
            rows.append(Malformed(f"{where}datacontent '{key}': {exc}", raw))
            continue
        vervar, var, turvar, tahun, turtahun = matches[0]
        region = str(vervar["val"])
        code = PROVINCE_CODE if region == DOMAIN_TOTAL else normalize_region(region)
        year = str(tahun.get("label", tahun["val"])).strip()
        rows.append({
            "indikator": (indicators or {}).get(_int_or_none(var["val"])) or var.get("label") or str(var["val"]),
            "indikator_label": var.get("label"),
            "var_id": var["val"],
            "satuan": var.get("unit"),
            # An unknown region keeps its BPS value, so validation names it in the dead letter.
            "kode_wilayah": code or region,
            "nama_wilayah": vervar.get("label"),
            "turvar": turvar.get("label"),
            "tahun": int(year) if year.isdigit() else year,
            "periode": turtahun.get("label"),
            "nilai": number,
            "datacontent_key": str(key),
        })
    return rows


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
