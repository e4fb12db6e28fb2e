"""Named steps where the crash tests kill the process for real (SIGKILL), to prove that the
next run finishes the work without repeating it. Inert unless BAOSONG_TEST_CRASH_AT names the step."""

from __future__ import annotations

import os
import signal

CRASH_ENV = "BAOSONG_TEST_CRASH_AT"  # after_archive | while_judging | after_commit | after_flag


def crash_point(name: str) -> None:
    if os.environ.get(CRASH_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)
