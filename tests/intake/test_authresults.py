"""Authentication-Results (RFC 8601) as providers write it, and when it vouches for a sender."""

from __future__ import annotations

from intake.authresults import doubts, parse_header, trusted, trusted_ids
from intake.mailparse import parse_mail

QQ = "mx.qq.com; spf=none smtp.mailfrom=; dkim=none; dmarc=none(permerror) header.from=solar.sec"
NETEASE = "mx19; spf=pass smtp.mail=0101016ffeb63bb7@us-west-2.amazonses.com; dkim=\tpass header.i=@amazonses.com"
OUTLOOK = "spf=pass (sender IP is 40.92.1.1) smtp.mailfrom=outlook.com; dkim=pass header.d=outlook.com"


def results(value: str) -> list[str]:
    return [str(r) for r in parse_header(value).results]


def test_qq_header_is_read_with_its_comments_removed():
    assert results(QQ) == ["spf=none", "dkim=none", "dmarc=none（solar.sec）"]


def test_netease_header_names_the_envelope_domain_in_smtp_mail():
    assert results(NETEASE) == ["spf=pass（us-west-2.amazonses.com）", "dkim=pass（amazonses.com）"]


def test_authserv_id_is_the_first_word():
    assert parse_header(NETEASE).authserv_id == "mx19"


def test_header_without_authserv_id_is_not_read():
    assert parse_header(OUTLOOK) is None


def test_only_configured_ids_are_trusted():
    assert [r.authserv_id for r in trusted([QQ, "evil.example; dmarc=pass"], trusted_ids("mx.qq.com"))] == ["mx.qq.com"]


def test_a_pattern_trusts_every_netease_host():
    assert len(trusted([NETEASE, "mx3; spf=pass"], trusted_ids("mx*, mx.qq.com"))) == 2


def test_dmarc_fail_does_not_vouch():
    header = parse_header("mx.qq.com; spf=pass smtp.mailfrom=evil.example; dmarc=fail header.from=qq.com")
    assert [str(r) for r in doubts(header, "unit@qq.com")] == ["dmarc=fail（qq.com）", "spf=pass（evil.example）"]


def test_dmarc_pass_vouches_despite_an_spf_softfail():
    header = parse_header("mx.qq.com; spf=softfail smtp.mailfrom=qq.com; dmarc=pass header.from=qq.com")
    assert doubts(header, "unit@qq.com") == []


def test_dkim_pass_for_the_sender_domain_vouches():
    assert doubts(parse_header("mx19; spf=pass smtp.mail=bounce@esp.example; dkim=pass header.i=@qitai.gov.cn"), "xx@qitai.gov.cn") == []


def test_passes_only_for_another_domain_do_not_vouch():
    assert len(doubts(parse_header(NETEASE), "unit@163.com")) == 2


def test_a_domain_that_publishes_nothing_is_not_doubted():
    assert doubts(parse_header(QQ), "unit@solar.sec") == []


def test_netease_header_folded_inside_an_address_is_read_whole():
    raw = (
        b"From: qweiczhong@gmail.com\r\nSubject: x\r\n"
        b"Authentication-Results: mx19; spf=pass smtp.mail=0101016ffeb63bb7-a63b\r\n"
        b"\t8f9e-44d0-4b12-bbb1-01b2b11f319d-000000@us-west-2.amazonses.com; dkim=\r\n"
        b"\tpass header.i=@amazonses.com\r\n\r\nbody\r\n"
    )
    (value,) = parse_mail(raw).authentication_results
    assert results(value) == ["spf=pass（us-west-2.amazonses.com）", "dkim=pass（amazonses.com）"]
