"""SUPPORT_HOURS: parsing, weekdays and weekends, the edges of a window, DST, bad values."""

from __future__ import annotations

import logging
from datetime import datetime, timezone

import pytest

from bot.support_hours import DEFAULT, SupportHours, SupportHoursError, support_hours

SOFIA = SupportHours.parse("Mon-Fri 09:00-18:00 Europe/Sofia")


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("at", "is_open"),
    [
        ("2026-12-02T10:00", True),  # Wednesday 12:00 in Sofia (UTC+2)
        ("2026-12-05T10:00", False),  # Saturday
        ("2026-12-06T10:00", False),  # Sunday
        ("2026-12-07T06:59", False),  # Monday 08:59 local: not yet
        ("2026-12-07T07:00", True),  # 09:00 local: the first minute
        ("2026-12-07T15:59", True),  # 17:59 local: the last minute
        ("2026-12-07T16:00", False),  # 18:00 local: closed (the end is exclusive)
        ("2026-12-04T21:59", False),  # Friday 23:59 local
    ],
)
def test_a_weekday_window_in_local_time(at: str, is_open: bool) -> None:
    assert SOFIA.is_open(utc(at)) is is_open


def test_the_window_keeps_its_local_hours_across_dst() -> None:
    # Sofia moves from UTC+2 to UTC+3 on 2026-03-29 (a Sunday): 09:00 local is 07:00 UTC on
    # the Friday before and 06:00 UTC on the Monday after.
    assert SOFIA.is_open(utc("2026-03-27T07:00")) and not SOFIA.is_open(utc("2026-03-27T06:59"))
    assert SOFIA.is_open(utc("2026-03-30T06:00")) and not SOFIA.is_open(utc("2026-03-30T05:59"))
    # And back on 2026-10-25: 18:00 local is 15:00 UTC on Friday the 23rd, 16:00 UTC on Monday the 26th.
    assert SOFIA.is_open(utc("2026-10-23T14:59")) and not SOFIA.is_open(utc("2026-10-23T15:00"))
    assert SOFIA.is_open(utc("2026-10-26T15:59")) and not SOFIA.is_open(utc("2026-10-26T16:00"))


def test_several_windows_a_wrapping_day_range_and_midnight() -> None:
    hours = SupportHours.parse("Mon-Fri 09:00-18:00, Sat 10:00-14:00 UTC")
    assert hours.is_open(utc("2026-12-05T11:00"))  # Saturday
    assert not hours.is_open(utc("2026-12-05T15:00"))
    assert not hours.is_open(utc("2026-12-06T11:00"))  # Sunday
    always = SupportHours.parse("Mon-Sun 00:00-24:00 UTC")
    assert always.is_open(utc("2026-12-06T23:59")) and always.is_open(utc("2026-12-07T00:00"))
    weekend = SupportHours.parse("Fri-Mon 08:00-12:00 UTC")  # wraps over the week's end
    assert [weekend.is_open(utc(f"2026-12-{day:02d}T09:00")) for day in range(3, 10)] == [
        False,  # Thursday
        True,
        True,
        True,
        True,  # Monday
        False,
        False,
    ]


def test_the_zone_defaults_to_sofia_and_the_hours_read_in_each_language() -> None:
    hours = SupportHours.parse("Mon-Fri 09:00-18:00")
    assert hours.zone.key == "Europe/Sofia"
    days = {"mon": "пон.", "fri": "пет.", "sat": "съб."}
    assert hours.describe(days) == "пон.-пет. 09:00-18:00 (Europe/Sofia)"
    two = SupportHours.parse("mon-fri 09:00-18:00,  Sat 10:00-14:00 Europe/Sofia")
    assert (
        two.describe({"mon": "Mon", "fri": "Fri", "sat": "Sat"})
        == "Mon-Fri 09:00-18:00, Sat 10:00-14:00 (Europe/Sofia)"
    )


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("Mon-Fri 09:00-18:00 Mars/Olympus", "unknown time zone"),
        ("Mon-Fri 9-18", "cannot read"),
        ("Mon-Fry 09:00-18:00", "unknown day"),
        ("Mon-Fri 18:00-09:00", "ends before it starts"),
        ("Mon-Fri 09:00-25:00", "not a time of day"),
        ("Mon-Fri 09:60-18:00", "not a time of day"),
        ("Mon-Fri 09:00-18:00,", "cannot read"),
        ("Mon-Fri 09:00-18:00 " + "x" * 300, "too long"),
        ("Mon-Fri 09:00-18:00 ../../etc/passwd", "unknown time zone"),
    ],
)
def test_a_bad_value_says_what_is_wrong(value: str, says: str) -> None:
    with pytest.raises(SupportHoursError, match=says):
        SupportHours.parse(value)


def test_a_bad_setting_is_logged_and_the_default_used(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="bot.support_hours"):
        hours = support_hours({"SUPPORT_HOURS": "Mon-Fri 9 to 5"})
    assert hours.text == DEFAULT
    assert "SUPPORT_HOURS: cannot read" in caplog.text
    assert support_hours({}).text == DEFAULT
    assert support_hours({"SUPPORT_HOURS": "Sat 10:00-12:00 UTC"}).text == "Sat 10:00-12:00 UTC"
