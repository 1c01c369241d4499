"""A scheduled run processes the previous day: the data interval's day, never the day it fires."""

from __future__ import annotations

import pendulum
import pytest


def utc(*args):
    return pendulum.datetime(*args, tz="UTC")


@pytest.fixture(scope="module")
def timetable(dag):
    from airflow.serialization.encoders import coerce_to_core_timetable

    return coerce_to_core_timetable(dag.timetable)


@pytest.mark.parametrize(
    "previous_start, fires_at, day",
    [
        (utc(2024, 11, 19, 4), utc(2024, 11, 21, 4), "2024-11-20"),
        (utc(2024, 12, 31, 4), utc(2025, 1, 2, 4), "2025-01-01"),
        (utc(2025, 2, 28, 4), utc(2025, 3, 2, 4), "2025-03-01"),
    ],
)
def test_scheduled_run_processes_the_previous_day(timetable, nightly, previous_start, fires_at, day):
    from airflow.timetables.base import DataInterval, TimeRestriction

    last = DataInterval(start=previous_start, end=previous_start.add(days=1))
    info = timetable.next_dagrun_info(
        last_automated_data_interval=last,
        restriction=TimeRestriction(earliest=utc(2024, 11, 1), latest=None, catchup=True),
    )
    assert info.run_after == fires_at
    # The logical date of a data-interval run is the interval's start.
    logical_date = info.data_interval.start
    assert logical_date == previous_start.add(days=1)
    assert nightly.target_date(None, info.data_interval.start) == day
    assert day != fires_at.date().isoformat()


def test_first_run_from_start_date(timetable, nightly):
    from airflow.timetables.base import TimeRestriction

    info = timetable.next_dagrun_info(
        last_automated_data_interval=None,
        restriction=TimeRestriction(earliest=utc(2024, 11, 20), latest=None, catchup=True),
    )
    assert info.data_interval.start == utc(2024, 11, 20, 4)
    assert info.run_after == utc(2024, 11, 21, 4)
    assert nightly.target_date(None, info.data_interval.start) == "2024-11-20"


def test_manual_run_infers_the_last_complete_interval(timetable, nightly):
    interval = timetable.infer_manual_data_interval(run_after=utc(2024, 11, 21, 4))
    assert nightly.target_date(None, interval.start) == "2024-11-20"
    interval = timetable.infer_manual_data_interval(run_after=utc(2024, 11, 21, 12, 30))
    assert nightly.target_date(None, interval.start) == "2024-11-20"


def test_date_param_wins_and_is_validated(nightly):
    from airflow.sdk.exceptions import AirflowFailException

    assert nightly.target_date("2024-12-01", utc(2024, 11, 20, 4)) == "2024-12-01"
    for bad in ("2024-13-01", "20241201", "2024-02-30", "yesterday"):
        with pytest.raises(AirflowFailException):
            nightly.target_date(bad, None)


def test_without_interval_the_day_before_run_after(nightly):
    assert nightly.target_date(None, None, utc(2024, 11, 21, 0, 5)) == "2024-11-20"
    assert nightly.target_date(None, None, pendulum.datetime(2024, 11, 21, 0, 30, tz="Europe/Madrid")) == "2024-11-19"
