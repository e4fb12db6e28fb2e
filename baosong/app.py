"""The opened application: settings, database, organisation rules — what every command needs."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from baosong.db import make_engine, session_factory, transaction, upgrade
from baosong.models import Unit
from baosong.organisation import Organisation, load_organisation
from baosong.registry import import_units, read_sheet, unit_refs
from baosong.settings import Settings
from intake.authresults import trusted_ids
from scoring.ruleset import RuleSet, load_ruleset
from validators.catalogue import MessageTemplate, load_messages
from validators.case import DuplicateFinder
from validators.duplicates import DuplicateStore
from validators.judge import JudgeContext
from validators.registry import Registry


@dataclass
class App:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    organisation: Organisation

    @property
    def data_dir(self) -> Path:
        return self.settings.data_dir

    @cached_property
    def ruleset(self) -> RuleSet:
        """The organisation's scoring rule set: item categories, points, quotas."""
        return load_ruleset(self.settings.config_dir, self.organisation.key)

    @cached_property
    def messages(self) -> dict[str, MessageTemplate]:
        return load_messages(self.settings.config_dir)

    def unit_count(self) -> int:
        with self.sessions() as session:
            return session.scalar(select(func.count()).select_from(Unit)) or 0

    def registry(self) -> Registry:
        with self.sessions() as session:
            return Registry.of(unit_refs(session))

    @cached_property
    def duplicates(self) -> DuplicateStore:
        """The 首报 index shared through the database (loaded once per process, refreshed per query)."""
        checks = self.organisation.checks
        return DuplicateStore(
            self.sessions,
            duplicate_threshold=checks.duplicate_threshold,
            review_threshold=checks.review_threshold,
            window=checks.duplicate_window,
        )

    def judge_context(self, duplicates: DuplicateFinder | None = None) -> JudgeContext:
        return JudgeContext(
            self.organisation.checks, self.registry(), self.messages, duplicates or self.duplicates,
            trusted_ids(self.settings.mailbox.authserv_id),
        )

    def close(self) -> None:
        self.engine.dispose()


def open_app(settings: Settings, *, seed_units: bool = False) -> App:
    """Open (and migrate) the database; optionally load the organisation's sample registry when empty."""
    settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    organisation = load_organisation(settings.config_dir, settings.rules.organisation)
    engine = make_engine(settings.database_url)
    upgrade(engine)
    app = App(settings, engine, session_factory(engine), organisation)
    if seed_units and app.unit_count() == 0 and organisation.units_csv.is_file():
        with transaction(app.sessions) as session:
            import_units(session, read_sheet(organisation.units_csv))
    return app
