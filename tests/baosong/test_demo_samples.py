"""The demo's sample mails look like what units really send."""

import re
from datetime import date

from baosong.demo.samples import samples
from intake.mailparse import parse_mail


def test_sample_word_files_name_the_unit_once():
    names = [a.display_name for s in samples(date(2026, 11, 20)) for a in parse_mail(s.raw).attachments]
    doubled = [n for n in names if re.match(r"^(.{4,})\1", n)]  # 奇台县环境保护局奇台县环境保护局开展…
    assert names and not doubled
