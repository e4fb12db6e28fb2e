"""IMAP intake against a real pymap server on loopback, through the production imap-tools code."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from baosong.app import App, open_app
from baosong.localtime import OFFICE_TZ, as_local
from baosong.models import Item, MailboxCursor, RawMessage
from intake.archive import read_blob
from intake.imap import poll_once
from intake.local_imap import LocalImapServer
from tests.factories.docx import make_zip_bomb
from tests.factories.mail import DOCX_TYPE, Attachment, build_mail
from tests.intake.imap_helpers import (  # noqa: F401 - fixtures
    CuttingProxy,
    expected_verdict,
    flagged_uids,
    imap_app,
    imap_server,
    imap_settings,
    item_count,
    pointed_at,
    raw_count,
    submission,
    verdicts_by_uid,
)


def test_appended_mail_gets_one_item_with_the_judges_verdict(imap_server: LocalImapServer, imap_app: App) -> None:
    mails = [submission(n) for n in range(3)]
    expected = {imap_server.append(raw): [expected_verdict(imap_app, raw)] for raw in mails}

    report = poll_once(imap_app)

    assert report.error is None and verdicts_by_uid(imap_app) == expected


def test_second_poll_does_nothing(imap_server: LocalImapServer, imap_app: App) -> None:
    imap_server.append(submission(1))
    poll_once(imap_app)

    again = poll_once(imap_app)

    assert (again.results, again.retried, again.marked, item_count(imap_app)) == ([], [], 0, 1)


def test_same_bytes_appended_twice_yield_one_item(imap_server: LocalImapServer, imap_app: App) -> None:
    raw = submission(7)
    imap_server.append(raw)
    imap_server.append(raw)

    poll_once(imap_app)

    assert (item_count(imap_app), raw_count(imap_app)) == (1, 1)


def test_processed_mail_is_flagged_and_never_marked_seen(imap_server: LocalImapServer, imap_app: App) -> None:
    imap_server.append(submission(1))
    imap_server.append(b"From: x@y.example\r\nSubject: chatter\r\n\r\nhello\r\n")

    poll_once(imap_app)

    assert [sorted(m.flags) for m in imap_server.messages()] == [["$Baosong"], ["$Baosong"]]


def test_processed_mail_moves_to_the_processed_folder(imap_server: LocalImapServer, imap_settings, tmp_path: Path) -> None:  # noqa: ANN001
    imap_server.create_folder("已处理")  # non-ASCII, as Chinese mail providers name folders
    app = open_app(replace(imap_settings, mailbox=replace(imap_settings.mailbox, processed_folder="已处理")), seed_units=True)
    imap_server.append(submission(1))

    poll_once(app)

    assert (len(imap_server.messages("INBOX")), len(imap_server.messages("已处理")), item_count(app)) == (0, 1, 1)
    app.close()


def test_oversized_message_is_judged_from_its_headers_without_downloading_the_body(
    imap_server: LocalImapServer, imap_settings, tmp_path: Path  # noqa: ANN001
) -> None:
    app = open_app(imap_settings, seed_units=True)
    app.organisation = replace(app.organisation, checks=replace(app.organisation.checks, max_message_bytes=50_000))
    raw = submission(1, attachments=[Attachment("大文件.docx", b"PK" + bytes(200_000), DOCX_TYPE)])
    imap_server.append(raw)

    judged = []
    poll_once(app, on_message=lambda _report, result: judged.append(result.outcome.judgement))

    with app.sessions() as session:
        row = session.scalars(select(RawMessage)).one()
        stored = read_blob(app.data_dir, row.path)
    assert [j.has("OVERSIZED_MESSAGE") for j in judged] == [True]
    assert stored == _server_headers(imap_server, 101) and row.declared_size == imap_server.messages()[0].size
    app.close()


def _server_headers(server: LocalImapServer, uid: int) -> bytes:
    connection = server.client()
    try:
        connection.select("INBOX", readonly=True)
        _, data = connection.uid("FETCH", str(uid), "(BODY.PEEK[HEADER])")
    finally:
        connection.logout()
    return data[0][1]


def test_uidvalidity_change_rescans_without_duplicates(imap_server: LocalImapServer, imap_app: App) -> None:
    mails = [submission(n) for n in range(2)]
    for raw in mails:
        imap_server.append(raw)
    first = poll_once(imap_app)
    imap_server.reset()  # mailbox recreated: new UIDVALIDITY, UIDs 101… reused for the same and new mail
    for raw in [*mails, submission(2)]:
        imap_server.append(raw)

    second = poll_once(imap_app)

    assert second.uidvalidity != first.uidvalidity
    assert (item_count(imap_app), raw_count(imap_app), flagged_uids(imap_server)) == (3, 3, {101, 102, 103})


def test_cursor_records_last_success_for_the_health_view(imap_server: LocalImapServer, imap_app: App) -> None:
    imap_server.append(submission(1))

    poll_once(imap_app)

    with imap_app.sessions() as session:
        cursor = session.scalars(select(MailboxCursor)).one()
    assert (cursor.last_uid, cursor.last_success_at is not None, cursor.last_error) == (101, True, None)


def test_archive_failure_on_our_side_leaves_mail_unflagged_and_is_retried(imap_server: LocalImapServer, imap_app: App) -> None:
    (imap_app.data_dir / "store").write_bytes(b"")  # a file where the store folder goes: the disk "fails"
    verdict = expected_verdict(imap_app, submission(1))
    uid = imap_server.append(submission(1))

    failed = poll_once(imap_app)
    flagged_after_failure = flagged_uids(imap_server)
    (imap_app.data_dir / "store").unlink()
    retried = poll_once(imap_app)

    assert failed.error is not None and flagged_after_failure == set() and raw_count(imap_app) == 1
    assert retried.error is None and verdicts_by_uid(imap_app) == {uid: [verdict]}


def test_processing_failure_on_our_side_is_not_a_rejection_and_is_retried(imap_server: LocalImapServer, imap_app: App) -> None:
    (imap_app.data_dir / "store").mkdir()
    (imap_app.data_dir / "store" / "att").write_bytes(b"")  # attachments cannot be stored: recording fails
    verdict = expected_verdict(imap_app, submission(1))
    uid = imap_server.append(submission(1))

    first = poll_once(imap_app)
    after_failure = (item_count(imap_app), flagged_uids(imap_server))
    (imap_app.data_dir / "store" / "att").unlink()
    second = poll_once(imap_app)

    assert first.results[0].outcome.error is not None and after_failure == (0, set())
    assert [o.verdict for o in second.retried] == [verdict]
    assert flagged_uids(imap_server) == {uid}


def test_bad_inputs_through_imap_never_stop_the_worker(imap_server: LocalImapServer, imap_app: App) -> None:
    # 300 levels: pymap's own MIME parser overflows the stack at 1,000 (the parser tests cover 1,000)
    deep = b"From: a@b.example\r\nSubject: deep\r\n" + b"".join(
        f'Content-Type: multipart/mixed; boundary="b{i}"\r\n\r\n--b{i}\r\n'.encode() for i in range(300)
    )
    bomb = submission(1, attachments=[Attachment("昌吉市环境保护局+检查.docx", make_zip_bomb(200 << 20), DOCX_TYPE)])
    bad = [b"\x00\xff garbage \x00" * 50, deep, bomb, build_mail(sender="changji@example.cn", body="只有正文")]
    uids = [imap_server.append(raw) for raw in bad]
    good = imap_server.append(submission(2))

    report = poll_once(imap_app)

    assert report.error is None
    assert sorted(verdicts_by_uid(imap_app)) == [*uids, good] and flagged_uids(imap_server) == {*uids, good}


def test_connection_dropped_mid_batch_is_resumed_in_the_same_cycle(imap_server: LocalImapServer, imap_settings) -> None:  # noqa: ANN001
    mails = [submission(n, attachments=[Attachment(f"件{n}.docx", bytes([n]) * 60_000, DOCX_TYPE)]) for n in range(4)]
    for raw in mails:
        imap_server.append(raw)
    with CuttingProxy(imap_server.port, cut_after=200_000) as proxy:
        app = open_app(pointed_at(imap_settings, "127.0.0.1", proxy.port, imap_server), seed_units=True)
        report = poll_once(app)

    assert (proxy.cuts, report.reconnects, report.error) == (1, 1, None)
    assert sorted(verdicts_by_uid(app)) == [101, 102, 103, 104] and all(len(v) == 1 for v in verdicts_by_uid(app).values())
    app.close()


def test_connection_lost_for_the_whole_cycle_is_finished_by_the_next_cycle(imap_server: LocalImapServer, imap_settings) -> None:  # noqa: ANN001
    mails = [submission(n, attachments=[Attachment(f"件{n}.docx", bytes([n]) * 60_000, DOCX_TYPE)]) for n in range(4)]
    for raw in mails:
        imap_server.append(raw)
    with CuttingProxy(imap_server.port, cut_after=200_000, refuse_after_cut=True) as proxy:
        app = open_app(pointed_at(imap_settings, "127.0.0.1", proxy.port, imap_server), seed_units=True)
        first = poll_once(app)
        taken_before = item_count(app)
        proxy.refuse = False
        second = poll_once(app)

    assert first.error is not None and taken_before < 4
    assert second.error is None
    assert sorted(verdicts_by_uid(app)) == [101, 102, 103, 104] and all(len(v) == 1 for v in verdicts_by_uid(app).values())
    app.close()


def test_message_the_server_refuses_to_send_does_not_stop_the_others(imap_server: LocalImapServer, imap_settings) -> None:  # noqa: ANN001
    for n in range(3):
        imap_server.append(submission(n))
    with CuttingProxy(imap_server.port, refuse_fetch=frozenset({102})) as proxy:
        app = open_app(pointed_at(imap_settings, "127.0.0.1", proxy.port, imap_server), seed_units=True)
        report = poll_once(app)

    assert report.error is None and sorted(verdicts_by_uid(app)) == [101, 103]
    assert proxy.refused_fetches == 1 and "UID 102" in report.server_errors[0]
    with app.sessions() as session:
        cursor = session.scalar(select(MailboxCursor))
        assert "UID 102" in cursor.last_error and cursor.last_success_at is not None  # read, so no alarm
    app.close()


def test_refused_message_is_asked_for_again_and_taken_once_the_server_sends_it(imap_server: LocalImapServer, imap_settings) -> None:  # noqa: ANN001
    for n in range(3):
        imap_server.append(submission(n))
    with CuttingProxy(imap_server.port, refuse_fetch=frozenset({102})) as proxy:
        app = open_app(pointed_at(imap_settings, "127.0.0.1", proxy.port, imap_server), seed_units=True)
        poll_once(app)
        still_refused = poll_once(app)
        proxy.refuse_fetch.clear()
        recovered = poll_once(app)

    assert [r.uid for r in still_refused.results] == [] and proxy.refused_fetches == 2
    assert [r.uid for r in recovered.results] == [102] and recovered.server_errors == []
    assert sorted(verdicts_by_uid(app)) == [101, 102, 103] and all(len(v) == 1 for v in verdicts_by_uid(app).values())
    app.close()


def test_item_is_dated_by_the_servers_internaldate_not_by_the_download(imap_server: LocalImapServer, imap_app: App) -> None:
    arrived = datetime(2026, 1, 30, 23, 50, tzinfo=UTC)  # the worker was down; it catches up later
    imap_server.append(submission(1), internal_date=arrived)

    poll_once(imap_app)

    with imap_app.sessions() as session:
        item = session.scalars(select(Item)).one()
        assert as_local(item.received_at) == arrived.astimezone(OFFICE_TZ)
