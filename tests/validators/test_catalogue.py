"""The catalogue is complete, unique, and every message renders with its rules' parameters."""

import re
from pathlib import Path

import pytest

from validators import catalogue
from validators.findings import Finding, Severity, Verdict, decide

SPEC = Path(__file__).resolve().parents[2] / "docs" / "SPEC.md"  # the product contract, kept with the code


def test_codes_are_unique():
    assert len(catalogue.CODES) == len(set(catalogue.CODES))


def test_every_spec_code_is_in_the_catalogue():
    spec_codes = set(re.findall(r"^\| `([A-Z_]+)` \|", SPEC.read_text(encoding="utf-8"), flags=re.M))
    assert spec_codes, "SPEC table not found"
    assert spec_codes == set(catalogue.CODES)


def test_default_severities_follow_the_spec():
    table = dict(re.findall(r"^\| `([A-Z_]+)` \| (\w+) \|", SPEC.read_text(encoding="utf-8"), flags=re.M))
    for rule in catalogue.ALL_RULES:
        assert str(rule.severity) == table[rule.code], rule.code


def test_every_code_has_a_message_and_a_fix(messages):
    assert set(messages) == {*catalogue.CODES, catalogue.MORE}
    for code, template in messages.items():
        assert template.message.strip() and template.fix.strip(), code


def test_messages_render_without_leftover_braces(messages):
    for code, template in messages.items():
        params = {name: "X" for name in template.placeholders()}
        text = catalogue.render(code, params, messages)
        assert "{" not in text and "}" not in text and "X" in text or not params


@pytest.mark.parametrize("code", ["DUPLICATE", "POSSIBLE_DUPLICATE"])
def test_duplicate_messages_say_registered_not_adopted(messages, code):
    # 采用 is a publication's adoption (采用得分); the first report is only registered (已登记)
    assert "已采用" not in messages[code].message and "已登记" in messages[code].message


def test_decide_prefers_ignored_then_error_then_review():
    def f(severity):
        return Finding("X", severity)

    assert decide([]) is Verdict.ACCEPTED
    assert decide([f(Severity.WARNING)]) is Verdict.ACCEPTED
    assert decide([f(Severity.REVIEW), f(Severity.WARNING)]) is Verdict.REVIEW
    assert decide([f(Severity.REVIEW), f(Severity.ERROR)]) is Verdict.REJECTED
    assert decide([f(Severity.ERROR), f(Severity.IGNORED)]) is Verdict.IGNORED


def vague_findings(case, messages):  # noqa: ANN001
    return [f for f in catalogue.run(catalogue.RULES, case, messages) if f.code == "VAGUE_WORDING"]


def test_a_flood_of_one_problem_lists_the_first_ones_and_counts_the_rest(case_of, messages):
    findings = vague_findings(case_of(body=["11月18日，" + "我局" * 10_000]), messages)
    listed, more = findings[:-1], findings[-1]
    assert len(listed) == catalogue.MAX_FINDINGS_PER_CODE and all(f.location for f in listed)
    assert more.location is None and more.evidence["unlisted"] == 10_000 - catalogue.MAX_FINDINGS_PER_CODE
    assert f"另有 {10_000 - catalogue.MAX_FINDINGS_PER_CODE} 处（“我局”）" in more.message


def test_the_counting_finding_is_as_severe_as_the_worst_hit_it_counts(case_of, messages):
    quoted_only = "11月18日，" + "我局" * catalogue.MAX_FINDINGS_PER_CODE + "，局长说：“我局我局。”"
    more = vague_findings(case_of(body=[quoted_only]), messages)[-1]
    assert (more.evidence["unlisted"], more.severity) == (2, Severity.WARNING)


def test_a_code_within_its_cap_has_no_counting_finding(case_of, messages):
    findings = vague_findings(case_of(body=["11月18日，" + "我局" * catalogue.MAX_FINDINGS_PER_CODE]), messages)
    assert len(findings) == catalogue.MAX_FINDINGS_PER_CODE and all(f.location for f in findings)
