"""IMAP ID (RFC 2971): NetEase (126/163/yeah.net) refuses SELECT until the client has identified itself."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from baosong.app import open_app
from baosong.settings import Settings
from intake.imap import poll_once
from intake.local_imap import LocalImapServer
from intake.outbox import sent_folder_lookup
from tests.intake.imap_helpers import (  # noqa: F401 - fixtures
    imap_server,
    item_count,
    pointed_at,
    run_cli,
    submission,
    wait_until,
)
from tests.intake.test_imap_idle import Watcher
from tests.factories.mail import build_mail
from tests.providers import ProviderImapProxy

pytestmark = pytest.mark.timeout(120)


def test_poll_once_takes_in_mail_from_a_server_that_refuses_select_until_id(
    imap_server: LocalImapServer, settings: Settings, tmp_path: Path
) -> None:
    imap_server.append(submission(1))
    with ProviderImapProxy(imap_server.port, require_id=True) as netease:
        through = pointed_at(settings, "127.0.0.1", netease.port, imap_server)

        done = run_cli(through, "poll", "--once", cwd=tmp_path)

    app = open_app(through)
    assert done.returncode == 0, done.stderr.decode()
    assert (item_count(app), netease.ids, netease.refused_selects) == (1, 1, 0)
    app.close()


def test_the_idle_worker_identifies_itself_and_takes_in_new_mail(imap_server: LocalImapServer, settings: Settings) -> None:
    with ProviderImapProxy(imap_server.port, require_id=True) as netease:
        app = open_app(pointed_at(settings, "127.0.0.1", netease.port, imap_server), seed_units=True)
        with Watcher(app):
            imap_server.append(submission(1))
            recorded = wait_until(lambda: item_count(app) == 1, 30)

    assert recorded and netease.refused_selects == 0 and netease.ids >= 1
    app.close()


def test_a_server_that_does_not_announce_id_is_read_without_it(imap_server: LocalImapServer, settings: Settings) -> None:
    imap_server.append(submission(1))
    with ProviderImapProxy(imap_server.port, announce_id=False) as plain:
        app = open_app(pointed_at(settings, "127.0.0.1", plain.port, imap_server), seed_units=True)

        report = poll_once(app)

    assert report.error is None and (item_count(app), plain.ids) == (1, 0)
    app.close()


def test_the_sent_folder_lookup_identifies_itself_before_selecting(imap_server: LocalImapServer, settings: Settings) -> None:
    imap_server.create_folder("已发送")
    imap_server.append(build_mail(sender="xinxi@localhost", message_id="<reply.1@baosong.invalid>"), folder="已发送")
    with ProviderImapProxy(imap_server.port, require_id=True) as netease:
        through = pointed_at(settings, "127.0.0.1", netease.port, imap_server)
        lookup = sent_folder_lookup(replace(through, replies=replace(through.replies, sent_folder="已发送")))

        found = lookup("<reply.1@baosong.invalid>")

    assert (found, netease.ids, netease.refused_selects) == (True, 1, 0)
