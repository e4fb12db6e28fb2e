"""The worker behind `baosong run` (intake.scheduler)."""

from __future__ import annotations

from sqlalchemy import select

from baosong.app import open_app
from baosong.models.duplicates import DuplicateSnapshot
from intake.scheduler import Worker


def test_worker_builds_the_first_report_index_before_judging_and_saves_it(settings):  # noqa: ANN001
    app = open_app(settings, seed_units=True)
    worker = Worker(app)
    worker.start()
    worker.shutdown()
    with app.sessions() as session:
        snapshots = session.scalars(select(DuplicateSnapshot)).all()
    assert worker.duplicates is app.duplicates and len(snapshots) == 1
    app.close()


def test_worker_saves_the_first_report_index_every_day(settings):  # noqa: ANN001
    app = open_app(settings, seed_units=True)
    job = Worker(app).scheduler.get_job("duplicates-snapshot")
    assert job.trigger.interval.total_seconds() == 24 * 3600
    app.close()
