"""`baosong poll --once --json` and `baosong run --no-web` as a user runs them."""

from __future__ import annotations

import json
import signal
import subprocess
from pathlib import Path

from baosong.app import open_app
from intake.local_imap import LocalImapServer
from tests.intake.imap_helpers import (  # noqa: F401 - fixtures
    BAOSONG,
    cli_env,
    imap_server,
    imap_settings,
    item_count,
    run_cli,
    submission,
    wait_until,
)


def test_poll_once_json_prints_one_spec_line_per_message(imap_server: LocalImapServer, imap_settings, tmp_path: Path) -> None:  # noqa: ANN001
    for n in range(2):
        imap_server.append(submission(n))

    done = run_cli(imap_settings, "poll", "--once", "--json", cwd=tmp_path)

    *lines, replies = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert done.returncode == 0, done.stderr.decode()
    assert set(replies) == {"replies"}
    assert [line["message_id"] for line in lines] == ["<submission.0@changji.example.cn>", "<submission.1@changji.example.cn>"]
    assert all({"source", "verdict", "unit", "receipt", "findings", "fields", "photos"} <= set(line) for line in lines)


def test_poll_once_exits_non_zero_when_the_mailbox_is_unreachable(imap_server: LocalImapServer, imap_settings, tmp_path: Path) -> None:  # noqa: ANN001
    imap_server.stop()

    done = run_cli(imap_settings, "poll", "--once", cwd=tmp_path)

    assert done.returncode == 1 and "本轮收件未完成" in done.stderr.decode()


def test_run_takes_in_mail_and_stops_cleanly_on_sigterm(imap_server: LocalImapServer, imap_settings, tmp_path: Path) -> None:  # noqa: ANN001
    app = open_app(imap_settings, seed_units=True)
    worker = subprocess.Popen(
        [str(BAOSONG), "run", "--no-web"], cwd=tmp_path, env=cli_env(imap_settings),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    try:
        imap_server.append(submission(1))
        recorded = wait_until(lambda: item_count(app) == 1, 30)
        worker.send_signal(signal.SIGTERM)
        code = worker.wait(20)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert recorded and code == 0 and "已停止" in worker.stdout.read().decode()
    app.close()
