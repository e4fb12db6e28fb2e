"""Cases built from plain text, for rules whose input is an already-parsed submission."""

from __future__ import annotations

from datetime import date

import pytest

from baosong import BUNDLED_CONFIG
from baosong.organisation import load_organisation
from baosong.registry import refs_from_sheet
from validators import catalogue
from validators.case import Case
from validators.judge import JudgeContext
from validators.registry import Registry
from validators.submission import FieldValue, Paragraph, Submission

TODAY = date(2026, 11, 20)


@pytest.fixture(scope="session")
def org_a():
    return load_organisation(BUNDLED_CONFIG, "A")


@pytest.fixture(scope="session")
def registry_a(org_a):  # noqa: ANN001
    return Registry.of(refs_from_sheet(org_a.units_csv))


@pytest.fixture(scope="session")
def messages():
    return catalogue.load_messages(BUNDLED_CONFIG)


@pytest.fixture(scope="session")
def ctx(org_a, registry_a, messages):  # noqa: ANN001
    """What the judge needs to judge a whole mail as organisation A."""
    return JudgeContext(org_a.checks, registry_a, messages)


def submission_of(title: str, body: list[str], fields: dict[str, str | None] | None = None) -> Submission:
    paragraphs = [Paragraph(1, title, "body")] if title else []
    paragraphs += [Paragraph(len(paragraphs) + 1, text, "body") for text in body]
    values = {"reviewer": "李四", "author": "张三", "phone": "13912345678"} if fields is None else fields
    found = {}
    for name, value in values.items():
        if value is None:
            found[name] = None
            continue
        index = len(paragraphs) + 1
        paragraphs.append(Paragraph(index, f"{name}：{value}", "body"))
        found[name] = FieldValue(name, value, index)
    for name in ("reviewer", "author", "phone"):
        found.setdefault(name, None)
    body_paragraphs = [p for p in paragraphs if p.text in body]
    return Submission(title, 1 if title else None, paragraphs, body_paragraphs, found, [])


@pytest.fixture
def case_of(org_a, registry_a):  # noqa: ANN001
    def build(title="奇台县环境保护局开展秋季大气污染防治专项检查", body=None, fields=None, unit_name=None, rules=None):
        body = body if body is not None else ["11月18日，奇台县环境保护局组织执法人员对县城周边12家企业开展专项检查。"]
        unit = next((u for u in registry_a.units if u.name == unit_name), None) if unit_name else None
        return Case(
            rules=rules or org_a.checks,
            registry=registry_a,
            today=TODAY,
            mail=None,
            submission=submission_of(title, body, fields),
            unit=unit,
        )

    return build
