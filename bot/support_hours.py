"""SUPPORT_HOURS: when colleagues answer, e.g. `Mon-Fri 09:00-18:00 Europe/Sofia`.

Grammar: one or more `DAYS HH:MM-HH:MM` windows separated by commas, then an IANA time
zone (default Europe/Sofia): `Mon-Fri 09:00-18:00, Sat 10:00-14:00 Europe/Sofia`. DAYS is
a day (`Sat`) or a range (`Mon-Fri`, `Fri-Mon` wraps); `24:00` ends a window at midnight.
Times are wall-clock times in that zone, so a window keeps its local hours across a DST
change (zoneinfo; the `tzdata` package ships the zone data with the venv).
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

logger = logging.getLogger(__name__)

DEFAULT = "Mon-Fri 09:00-18:00 Europe/Sofia"
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WINDOW = re.compile(
    r"^(?P<days>[A-Za-z]{3}(?:-[A-Za-z]{3})?)\s+(?P<start>\d{2}:\d{2})-(?P<end>\d{2}:\d{2})$"
)


class SupportHoursError(ValueError):
    """SUPPORT_HOURS cannot be read; the message says which part."""


@dataclass(frozen=True)
class Window:
    days: tuple[int, ...]  # Monday = 0
    start: int  # minutes after midnight
    end: int  # exclusive; 1440 = midnight


@dataclass(frozen=True)
class SupportHours:
    windows: tuple[Window, ...]
    zone: ZoneInfo
    text: str

    @classmethod
    def parse(cls, text: str) -> SupportHours:
        value = " ".join(text.split())
        if not value:
            raise SupportHoursError("SUPPORT_HOURS is empty")
        if len(value) > 200:
            raise SupportHoursError("SUPPORT_HOURS is too long")
        head, _, last = value.rpartition(" ")
        zone_name = "Europe/Sofia"
        # A trailing word with letters and no clock time is the zone ("UTC", "Europe/Sofia").
        if head and re.search(r"[A-Za-z]", last) and ":" not in last and last.lower() not in DAYS:
            zone_name, value = last, head
        try:
            zone = ZoneInfo(zone_name)
        except (ZoneInfoNotFoundError, ValueError) as problem:
            raise SupportHoursError(f"SUPPORT_HOURS: unknown time zone {zone_name!r}") from problem
        windows = tuple(_window(part.strip()) for part in value.split(","))
        return cls(windows, zone, text.strip())

    def is_open(self, at: datetime) -> bool:
        """Whether `at` (timezone-aware) falls inside a window, in the zone's local time."""
        local = at.astimezone(self.zone)
        minute = local.hour * 60 + local.minute
        return any(local.weekday() in w.days and w.start <= minute < w.end for w in self.windows)

    def describe(self, day_names: Mapping[str, str]) -> str:
        """The hours in the customer's language: `day_names` maps mon..sun to their names."""
        parts = []
        for w in self.windows:
            first, last = day_names[DAYS[w.days[0]]], day_names[DAYS[w.days[-1]]]
            days = first if len(w.days) == 1 else f"{first}-{last}"
            parts.append(f"{days} {_clock(w.start)}-{_clock(w.end)}")
        return f"{', '.join(parts)} ({self.zone.key})"


def _window(part: str) -> Window:
    match = _WINDOW.match(part)
    if not match:
        raise SupportHoursError(f"SUPPORT_HOURS: cannot read {part!r} (expected e.g. 'Mon-Fri 09:00-18:00')")
    names = match["days"].lower().split("-")
    if any(name not in DAYS for name in names):
        raise SupportHoursError(f"SUPPORT_HOURS: unknown day in {match['days']!r} (Mon, Tue, ... Sun)")
    first, last = DAYS.index(names[0]), DAYS.index(names[-1])
    days = tuple((first + i) % 7 for i in range((last - first) % 7 + 1))
    start, end = _minutes(match["start"]), _minutes(match["end"])
    if start >= end:
        raise SupportHoursError(f"SUPPORT_HOURS: {part!r} ends before it starts")
    return Window(days, start, end)


def _minutes(clock: str) -> int:
    hours, minutes = int(clock[:2]), int(clock[3:])
    if minutes > 59 or hours > 24 or (hours == 24 and minutes):
        raise SupportHoursError(f"SUPPORT_HOURS: {clock!r} is not a time of day")
    return hours * 60 + minutes


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def support_hours(env: Mapping[str, str] = os.environ) -> SupportHours:
    """The configured hours; a bad value is logged and the default used (the bot must answer)."""
    text = env.get("SUPPORT_HOURS") or DEFAULT
    try:
        return SupportHours.parse(text)
    except SupportHoursError as problem:
        logger.error("%s; using %r instead", problem, DEFAULT)
        return SupportHours.parse(DEFAULT)


def now() -> datetime:
    return datetime.now(timezone.utc)
