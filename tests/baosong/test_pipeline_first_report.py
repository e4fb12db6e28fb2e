"""首报 between workers: two copies of one item judged at the same moment, exactly one is accepted."""

from __future__ import annotations

import threading
from datetime import date

from baosong.app import open_app
from baosong.demo.samples import Item as Doc
from baosong.demo.samples import document, mail
from baosong.pipeline import Outcome, ingest
from validators.duplicates import DuplicateMatch, DuplicateStore

DAY = date(2026, 11, 20)
DOC = Doc(
    "奇台县环境保护局",
    "奇台县环境保护局开展秋季大气污染防治专项检查",
    ["11月18日，奇台县环境保护局组织执法人员对12家企业开展专项检查，发现问题5个，已责令限期整改。"],
    author="王晓燕",
)


def copy(number: int) -> bytes:
    """The same item in another message (its own Message-ID), as a unit that sends it twice."""
    raw = mail("qitai@example.cn", DOC.title, DAY, docs=[(f"{DOC.unit}{DOC.title}.docx", document(DOC))])
    return f"Message-ID: <copy-{number}@example.cn>\n".encode() + raw.replace(b"Message-ID:", b"X-Old-Message-ID:", 1)


class JudgedTogether:
    """A worker's own DuplicateStore whose first lookup waits for the other worker's first lookup:
    both copies are judged before either is recorded."""

    def __init__(self, store: DuplicateStore, barrier: threading.Barrier) -> None:
        self.store = store
        self.barrier = barrier
        self.waited = False

    def find(self, text: str, **options) -> list[DuplicateMatch]:  # noqa: ANN003
        matches = self.store.find(text, **options)
        if not self.waited:
            self.waited = True
            self.barrier.wait(60)
        return matches


def test_two_copies_judged_at_once_are_accepted_once(settings):  # noqa: ANN001
    apps = [open_app(settings, seed_units=True), open_app(settings)]  # separate engines, as two processes
    barrier = threading.Barrier(2)
    finders = [JudgedTogether(app.duplicates, barrier) for app in apps]
    outcomes: list[Outcome | None] = [None, None]

    def work(number: int) -> None:
        outcomes[number] = ingest(apps[number], copy(number), source="import", duplicates=finders[number])

    threads = [threading.Thread(target=work, args=(number,)) for number in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)

    verdicts = sorted((o.verdict, [f.code for f in o.judgement.findings]) for o in outcomes)
    assert verdicts == [("accepted", []), ("rejected", ["DUPLICATE"])]
    for app in apps:
        app.close()
