"""Prepared views for the meeting room: `layouts/meeting/<name>.yaml`, a list of steps the presenter
walks through with next/previous (buttons, arrow keys, a presentation clicker's PageUp/PageDown).

    title: Rapat Pimpinan Mingguan
    title_en: Weekly leadership meeting
    steps:
      - {title: Keadaan provinsi, topic: wilayah}                       # the province overview
      - {title: Tempat tidur rumah sakit, topic: e-yankes, spotlight: peta}
      - {title: Kota Serang, topic: wilayah, region: "3673", spotlight: peringatan}
      - {title: Pelabuhan Merak, topic: kamera, camera: pelabuhan-merak, spotlight: kamera}

`topic` is an application (e-bansos ... e-disikap), `wilayah` (every application in one region) or
`kamera` (with `camera:`); `region` a BPS code ("36", the default, is the province); `spotlight`
one of the topic's tiles (angka, peta, tren, peringatan, kamera). The files live in a folder below
the screens (`dashboard.layouts_dir`/meeting), so the wall loader does not take them for screens.
Mistakes are reported with file, line and YAML path, like every other file (`steps[2].camera:
unknown camera 'x'`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pydantic import Field, ValidationError

from core.config import (
    APPLICATIONS,
    Config,
    ConfigError,
    ConfigProblem,
    Model,
    line_of,
    problems_from_validation,
    read_yaml,
)
from core.regions import KABKOTA, PROVINCE_CODE
from dashboard.meeting.state import CAMERA, OVERVIEW, tiles_of
from dashboard.tiles.layout_folder import layouts_dir, yaml_path

FOLDER = "meeting"
PLAN_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


class Step(Model):
    title: str = Field(min_length=1)
    title_en: str | None = None
    topic: str
    region: str = PROVINCE_CODE
    camera: str | None = None
    spotlight: str | None = None

    def title_in(self, lang: str) -> str:
        return (self.title_en if lang == "en" and self.title_en else None) or self.title

    def view_fields(self) -> dict[str, str]:
        """The room fields this step sets (meeting_state.change)."""
        return {"topic": self.topic, "region": self.region, "camera": self.camera or "",
                "spotlight": self.spotlight or ""}


class PlanFile(Model):
    title: str = Field(min_length=1)
    title_en: str | None = None
    steps: list[Step] = Field(min_length=1)


@dataclass(frozen=True)
class Plan:
    name: str
    title: str
    title_en: str | None
    steps: tuple[Step, ...]
    file: str

    def title_in(self, lang: str) -> str:
        return (self.title_en if lang == "en" and self.title_en else None) or self.title


def check_step(step: Step, config: Config) -> list[tuple[str, str]]:
    """What the model alone cannot know: the topic, region, camera and spotlight against the config."""
    problems = []
    if step.topic not in APPLICATIONS and step.topic not in (OVERVIEW, CAMERA):
        allowed = f"an application, '{OVERVIEW}' or '{CAMERA}'"
        problems.append(("topic", f"unknown topic '{step.topic}' ({allowed})"))
    if step.region != PROVINCE_CODE and step.region not in KABKOTA:
        problems.append(("region", f"'{step.region}' is not '36' or a kab/kota code of Banten (3601..3674)"))
    if step.topic == CAMERA:
        if not step.camera:
            problems.append(("camera", "required for topic 'kamera'"))
        elif step.camera not in config.cameras:
            problems.append(("camera", f"unknown camera '{step.camera}'"))
    elif step.camera:
        problems.append(("camera", "only for topic 'kamera'"))
    tiles = tiles_of(step.topic)
    if step.spotlight and tiles and step.spotlight not in tiles:
        problems.append(("spotlight", f"'{step.spotlight}' is not a tile of this topic ({', '.join(tiles)})"))
    return problems


def parse_plan(name: str, data, config: Config) -> tuple[Plan | None, list[tuple[str, str]]]:
    """A Plan from a parsed file, or every problem as (YAML path, message)."""
    problems: list[tuple[str, str]] = []
    if not PLAN_NAME.match(name):
        problems.append(("(file)", "the file name must use lower case letters, digits, - and _"))
    if not isinstance(data, dict):
        return None, problems + [("(top)", "must be a mapping with title and steps")]
    try:
        plan_file = PlanFile.model_validate(data)
    except ValidationError as err:
        found = problems_from_validation(err)
        return None, problems + [(yaml_path(p.path), p.message) for p in found]
    for i, step in enumerate(plan_file.steps):
        problems += [(f"steps[{i}].{key}", msg) for key, msg in check_step(step, config)]
    if problems:
        return None, problems
    return Plan(name, plan_file.title, plan_file.title_en, tuple(plan_file.steps), ""), []


def plans_dir(config: Config) -> Path:
    return layouts_dir(config) / FOLDER


def load_plans(config: Config) -> dict[str, Plan]:
    """Every prepared-view list, by name (none without the folder); raises ConfigError with every mistake."""
    folder = plans_dir(config)
    if not folder.is_dir():
        return {}
    plans: dict[str, Plan] = {}
    problems: list[ConfigProblem] = []
    for path in sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file()):
        try:
            data, node = read_yaml(path)
        except ConfigError as err:
            problems += err.problems
            continue
        plan, found = parse_plan(path.stem, data, config)
        if found:
            problems += [ConfigProblem(p, m, _line(node, p), str(path)) for p, m in found]
            continue
        plans[plan.name] = Plan(plan.name, plan.title, plan.title_en, plan.steps, str(path))
    if problems:
        raise ConfigError(problems)
    return plans


def _line(node, path: str) -> int | None:
    """The line of a path, or of its nearest parent when the key is missing from the file."""
    while path:
        line = line_of(node, path)
        if line is not None:
            return line
        path = re.sub(r"(\.[^.\[\]]+|\[\d+\])$", "", path) if re.search(r"[.\[]", path) else ""
    return None
