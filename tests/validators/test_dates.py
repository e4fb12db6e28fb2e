"""NO_EXPLICIT_DATE and STALE_EVENT (regime D: 2 days) on parsed text."""

from dataclasses import replace
from datetime import date, time

from validators import dates

TODAY = date(2026, 11, 20)


def test_explicit_dates_with_and_without_year():
    assert dates.explicit_dates("2025年3月1日和11月18日", TODAY) == [date(2025, 3, 1), date(2026, 11, 18)]


def test_a_date_later_in_the_year_than_today_belongs_to_last_year():
    assert dates.explicit_dates("12月30日", TODAY) == [date(2025, 12, 30)]


def test_no_explicit_date_warns(case_of):
    hits = list(dates.no_explicit_date(case_of(body=["奇台县环境保护局开展了专项检查，共检查企业12家。"])))
    assert hits and hits[0].params["example"] == "11月20日"


def test_explicit_date_is_enough(case_of):
    assert list(dates.no_explicit_date(case_of())) == []


def test_stale_event_is_not_checked_under_regime_a(case_of):
    assert list(dates.stale_event(case_of(body=["11月1日，奇台县环境保护局开展专项检查。"]))) == []


def test_stale_event_under_a_two_day_limit(case_of, org_a):
    rules = replace(org_a.checks, stale_after_days=2)
    hits = list(dates.stale_event(case_of(body=["11月15日，奇台县环境保护局开展专项检查。"], rules=rules)))
    assert hits and hits[0].params["days"] == 5


def test_recent_event_is_not_stale(case_of, org_a):
    rules = replace(org_a.checks, stale_after_days=2)
    assert list(dates.stale_event(case_of(body=["11月18日，奇台县环境保护局开展检查。"], rules=rules))) == []


def test_a_time_of_day_right_after_a_date_is_read():
    text = "11月20日下午3点，奇台县环境保护局接到群众举报；11月19日8时30分开展巡查；11月18日12家企业"
    assert dates.event_moments(text, TODAY) == [
        (date(2026, 11, 20), time(15, 0)), (date(2026, 11, 19), time(8, 30)), (date(2026, 11, 18), None)
    ]
