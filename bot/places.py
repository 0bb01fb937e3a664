"""Which places an article is about, from the place names in `bot/data/places.yaml`.

Names are proper nouns: they match case-sensitively on word boundaries, longest first, so
"Papua Barat" is not also "Papua" and "padang rumput" is not Padang. A regency or city counts for
its province too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class Gazetteer:
    pattern: re.Pattern[str]
    region_of: Mapping[str, str]  # name -> place or province id
    province_of: Mapping[str, str]  # place id -> province id (provinces map to themselves)

    def regions(self, text: str) -> frozenset[str]:
        """The ids of the places and provinces the text names."""
        found: set[str] = set()
        for match in self.pattern.finditer(text):
            region = self.region_of[match.group(0)]
            found.update((region, self.province_of[region]))
        return frozenset(found)

    def known(self, region: str) -> bool:
        return region in self.province_of


def build_gazetteer(provinces: Iterable[Mapping[str, Any]]) -> Gazetteer:
    region_of: dict[str, str] = {}
    province_of: dict[str, str] = {}
    for province in provinces:
        pid = str(province["id"])
        province_of[pid] = pid
        region_of.update({str(name): pid for name in province.get("names", [])})
        for place, names in (province.get("places") or {}).items():
            province_of[str(place)] = pid
            region_of.update({str(name): str(place) for name in names})
    names = sorted(region_of, key=len, reverse=True)
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, names)) + r")(?!\w)")
    return Gazetteer(pattern, region_of, province_of)


def _read(path: str | None) -> list[dict[str, Any]]:
    if path is None:
        text = resources.files("bot.data").joinpath("places.yaml").read_text(encoding="utf-8")
    else:
        text = Path(path).read_text(encoding="utf-8")
    data = yaml.safe_load(text) or {}
    provinces = data.get("provinces")
    if not isinstance(provinces, list) or not all(
        isinstance(p, dict) and "id" in p for p in provinces
    ):
        raise ValueError(
            f"{path or 'places.yaml'}: 'provinces' must be a list of entries with an id"
        )
    return provinces


@cache
def load_gazetteer(extra: str | None = None) -> Gazetteer:
    """The packaged place names, merged by province id with those in `extra` (a YAML path)."""
    merged: dict[str, dict[str, Any]] = {p["id"]: dict(p) for p in _read(None)}
    for province in _read(extra) if extra else []:
        base = merged.setdefault(province["id"], {"id": province["id"], "names": [], "places": {}})
        base["names"] = [*base.get("names", []), *province.get("names", [])]
        base["places"] = {**(base.get("places") or {}), **(province.get("places") or {})}
    return build_gazetteer(merged.values())
