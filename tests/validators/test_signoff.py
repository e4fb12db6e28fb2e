"""MISSING_REVIEWER / MISSING_AUTHOR / MISSING_PHONE / INVALID_PHONE on parsed fields."""

import pytest

from validators import signoff


@pytest.mark.parametrize(
    "value", ["13912345678", "139 1234 5678", "139-1234-5678", "+86 139 1234 5678", "0086-13912345678", "１３９１２３４５６７８"]
)
def test_mobile_numbers_in_tolerated_formats_are_valid(value):
    assert signoff.mobile_in(value) == "13912345678"


@pytest.mark.parametrize("value", ["1391234567", "12912345678", "0994-2347224", "2347224", "张三"])
def test_not_a_mobile_number(value):
    assert signoff.mobile_in(value) is None


def test_complete_fields_raise_nothing(case_of):
    case = case_of()
    for check in (signoff.missing_reviewer, signoff.missing_author, signoff.missing_phone, signoff.invalid_phone):
        assert list(check(case)) == []


def test_missing_reviewer_label(case_of):
    hits = list(signoff.missing_reviewer(case_of(fields={"author": "张三", "phone": "13912345678"})))
    assert hits and hits[0].evidence["label_found"] is False


def test_empty_author_field(case_of):
    hits = list(signoff.missing_author(case_of(fields={"reviewer": "李四", "author": "", "phone": "13912345678"})))
    assert hits and hits[0].evidence["label_found"] is True and hits[0].location.paragraph


def test_missing_phone(case_of):
    assert list(signoff.missing_phone(case_of(fields={"reviewer": "李四", "author": "张三"})))


def test_landline_alone_is_invalid_when_a_mobile_is_required(case_of):
    hits = list(signoff.invalid_phone(case_of(fields={"reviewer": "李四", "author": "张三", "phone": "0994-2347224"})))
    assert hits and hits[0].evidence["landline"] is True
    assert "座机" in hits[0].params["problem"]


def test_short_number_is_invalid(case_of):
    hits = list(signoff.invalid_phone(case_of(fields={"reviewer": "李四", "author": "张三", "phone": "1391234567"})))
    assert hits and hits[0].evidence["landline"] is False


def test_mobile_beside_a_landline_is_valid(case_of):
    case = case_of(fields={"reviewer": "李四", "author": "张三", "phone": "0994-2347224 13912345678"})
    assert list(signoff.invalid_phone(case)) == []
