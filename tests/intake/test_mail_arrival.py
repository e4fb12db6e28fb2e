"""When a saved mail reached its mailbox: `import` dates history by it, as IMAP uses INTERNALDATE."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from intake.mailheaders import arrival_time
from tests.factories.mail import build_mail

NOW = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)
NEWEST = "from mx.example.cn by imap.example.cn; Tue, 20 Jan 2026 10:05:00 +0800"
OLDER = "from unit.example.cn by mx.example.cn;\r\n\tTue, 20 Jan 2026 10:04:58 +0800"


@pytest.mark.parametrize(
    ("headers", "date", "expected"),
    [
        pytest.param({"Received": NEWEST}, "Mon, 19 Jan 2026 18:00:00 +0800", datetime(2026, 1, 20, 2, 5, tzinfo=UTC), id="received-over-date"),
        pytest.param({"Received": OLDER}, None, datetime(2026, 1, 20, 2, 4, 58, tzinfo=UTC), id="folded-received"),
        pytest.param({}, "Mon, 19 Jan 2026 18:00:00 +0800", datetime(2026, 1, 19, 10, 0, tzinfo=UTC), id="date-when-no-received"),
        pytest.param({"Received": "from x by y; not a date"}, "Mon, 19 Jan 2026 18:00:00 +0800", datetime(2026, 1, 19, 10, 0, tzinfo=UTC), id="unreadable-received"),
        pytest.param({}, "Fri, 01 Jan 2027 09:00:00 +0800", None, id="future-date-is-no-arrival"),
        pytest.param({}, None, None, id="no-stamps"),
    ],
)
def test_arrival_time_reads_the_newest_received_stamp_then_the_date(headers, date, expected) -> None:  # noqa: ANN001
    raw = build_mail(headers=headers, date=date)

    assert arrival_time(raw, now=NOW) == expected


def test_arrival_time_takes_the_topmost_of_several_received_headers() -> None:
    top = _with_received(build_mail(date=None), OLDER)
    raw = _with_received(top, NEWEST)

    assert arrival_time(raw, now=NOW) == datetime(2026, 1, 20, 2, 5, tzinfo=UTC)


def _with_received(raw: bytes, stamp: str) -> bytes:
    """Servers add Received on top, so the newest stamp comes first."""
    return b"Received: " + stamp.encode("ascii") + b"\r\n" + raw
