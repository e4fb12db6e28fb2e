"""Reading posted console fields: dates, numbers, choices and text as clerks type them."""

from __future__ import annotations

from datetime import date

import pytest

from review.forms import Posted, clean_text, for_form, parse_month


def posted(**values: str) -> Posted:
    return Posted("test", values)


@pytest.mark.parametrize("typed", ["2026-03-16", "2026/3/16", "2026.03.16", "2026年3月16日", "２０２６-０３-１６"])
def test_a_date_is_read_in_the_ways_clerks_write_it(typed):
    assert posted(on=typed).day("on", "日期") == date(2026, 3, 16)


@pytest.mark.parametrize("typed", ["2026-02-30", "16/03/2026", "昨天", "2206-03-16", "0001-01-01"])
def test_a_date_that_is_not_a_real_date_this_century_is_refused(typed):
    form = posted(on=typed)
    assert form.day("on", "日期") is None and "不是有效日期" in form.errors["on"]


def test_an_empty_optional_date_is_none_without_an_error():
    form = posted(on=" ")
    assert form.day("on", "日期", required=False) is None and form.ok


def test_an_empty_required_date_asks_for_it():
    form = posted()
    form.day("on", "刊发日期")
    assert form.errors == {"on": "请填写刊发日期"}


@pytest.mark.parametrize("typed, number", [("-30", -30.0), ("−30", -30.0), ("－３０", -30.0), ("12.5", 12.5), (" 50 ", 50.0)])
def test_a_number_is_read_with_full_width_digits_and_typographic_minus(typed, number):
    assert posted(n=typed).number("n", "分值", bound=100) == number


@pytest.mark.parametrize("typed", ["nan", "NaN", "inf", "-infinity", "101", "1e3", "30分", "0x10"])
def test_a_number_out_of_bounds_or_not_finite_is_refused(typed):
    form = posted(n=typed)
    assert form.number("n", "分值", bound=100) is None and "应是 -100 到 100 之间的数字" in form.errors["n"]


def test_a_choice_outside_the_list_is_refused():
    form = posted(c="<script>")
    assert form.choice("c", "单位", {"1": object()}) == "" and form.errors["c"] == "请从列表中选择单位"


def test_only_the_first_error_of_a_field_is_kept():
    form = posted()
    form.refuse("第一个", "x")
    form.refuse("第二个", "x")
    assert form.errors == {"x": "第一个"}


def test_text_loses_control_and_bidi_characters_and_is_bounded():
    assert clean_text("a\u202eb\x00c\u200bd" + "长" * 10, 8) == "ab cd长长长"


def test_multiline_text_keeps_its_line_breaks():
    assert clean_text("第一行\n第二行\r", 100, multiline=True) == "第一行\n第二行"


@pytest.mark.parametrize("typed, month", [("2026-03", (2026, 3)), ("2026-3", (2026, 3)), ("2026年12月", (2026, 12))])
def test_a_month_is_read(typed, month):
    assert parse_month(typed) == month


@pytest.mark.parametrize("typed", ["2026-00", "2026-13", "26-03", "", "2026-03-01"])
def test_a_month_that_is_not_one_is_none(typed):
    assert parse_month(typed) is None


def test_a_page_refills_only_the_form_that_was_posted():
    form = Posted("adoption", {"note": "x"}, {"note": "太长"})
    assert for_form(form, "adoption") == ({"note": "x"}, {"note": "太长"})
    assert for_form(form, "endorsement") == ({}, {})
