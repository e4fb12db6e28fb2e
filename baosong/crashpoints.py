"""Named steps where the crash tests kill the process for real (SIGKILL), to prove that the
next run finishes the work without repeating it. Inert unless BAOSONG_TEST_CRASH_AT names the step."""

from __future__ import annotations

import os
import signal

CRASH_ENV = "BAOSONG_TEST_CRASH_AT"  # after_archive | while_judging | after_commit | after_flag
CRASH_ONLY_ENV = "BAOSONG_TEST_CRASH_ONLY"  # a raw message id: crash only at that message (a poison message)


def crash_point(name: str, raw_id: int | None = None) -> None:
    if os.environ.get(CRASH_ENV) != name:
        return
    only = os.environ.get(CRASH_ONLY_ENV)
    if only is None or only == str(raw_id):
        os.kill(os.getpid(), signal.SIGKILL)
