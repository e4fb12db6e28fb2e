"""Refusals as the providers word them, read by the one table in intake.smtp_answers."""

from __future__ import annotations

import pytest

from intake.smtp_answers import ANSWERS, Meaning, classify

PROVIDER_ANSWERS = [
    (554, "DT:SPM 163 smtp10,DsCowADHhCh1Y2ZlYg3ZBA--.48135S2 1764830000,please see http://mail.163.com/help/help_spam_16.htm", Meaning.MESSAGE),
    (451, "DT:SPM ,please try again", Meaning.TEMPORARY),
    (550, "RP:TRC 163 smtp10,DsCowADHhCh1Y2ZlYg3ZBA--.48135S2 1764830000", Meaning.DAILY_LIMIT),
    (554, "MI:STC 163 smtp10,DsCowADHhCh1Y2ZlYg3ZBA--.48135S2 1764830000", Meaning.DAILY_LIMIT),
    (451, "MI:SFQ 163 smtp10,DsCowADHhCh1Y2ZlYg3ZBA--.48135S2 1764830000", Meaning.RATE),
    (552, "Requested mail action aborted: exceeded mailsize limit", Meaning.MESSAGE),
    (550, "User not found: qsx@example.cn", Meaning.RECIPIENT),
    (550, "Invalid User", Meaning.RECIPIENT),
    (550, "Mailbox not found or access denied", Meaning.RECIPIENT),
    (550, "Mailbox unavailable or access denied [MJxWmWqGBr5pJJkyW5+8n9p7mDlx1bZNOu8f6VRb]", Meaning.RATE),
    (550, "Sender frequency limited", Meaning.RATE),
    (553, "Mail from must equal authorized user", Meaning.ACCOUNT),
    (553, "Requested action not taken: NULL sender is not allowed", Meaning.ACCOUNT),
    (552, "Daily sending quota exceeded", Meaning.DAILY_LIMIT),
    (550, "5.4.5 Daily user sending limit exceeded.", Meaning.DAILY_LIMIT),
    (450, "4.2.1 mailbox unavailable", Meaning.TEMPORARY),
    (554, "5.7.1 Service unavailable", Meaning.PERMANENT),
]


@pytest.mark.parametrize(("code", "text", "meaning"), PROVIDER_ANSWERS)
def test_provider_refusal_is_read_for_what_it_means(code, text, meaning):
    assert classify(code, text).meaning == meaning


def test_a_temporary_code_is_never_taken_as_permanent_whatever_its_words():
    assert not classify(450, "User not found, spam suspected").permanent


def test_every_row_explains_itself_in_chinese():
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in row.explanation) for row in ANSWERS)


def test_explanation_names_the_provider_and_keeps_the_servers_words():
    refusal = classify(554, "DT:SPM 163 smtp10")
    assert (refusal.explanation.startswith("网易邮箱："), refusal.text) == (True, "554 DT:SPM 163 smtp10")
