"""`baosong check`: validate .eml or .docx files without recording anything."""

from __future__ import annotations

import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import click
from sqlalchemy import inspect

from baosong.cli import AppContext, pass_app
from baosong.db import make_engine, session_factory
from baosong.organisation import ConfigError, load_organisation
from baosong.output import json_line, judgement_json, judgement_text
from baosong.registry import refs_from_sheet, unit_refs
from intake.authresults import trusted_ids
from intake.mailparse import parse_mail
from intake.message import MailAttachment
from intake.savedmail import read_capped
from validators.catalogue import load_messages
from validators.case import size_text
from validators.findings import Verdict
from validators.judge import JudgeContext, judge_docx, judge_mail
from validators.registry import Registry


def _registry_and_duplicates(app: AppContext, organisation, use_database: bool):  # noqa: ANN001, ANN202
    """The registry from the database when it exists (read only), else the organisation's sheet."""
    settings = app.settings
    database = settings.database_url
    sqlite_file = database.removeprefix("sqlite:///") if database.startswith("sqlite:///") else None
    if sqlite_file is None or Path(sqlite_file).is_file():
        engine = make_engine(database)
        if inspect(engine).has_table("units"):
            sessions = session_factory(engine)
            with sessions() as session:
                registry = Registry.of(unit_refs(session))
            duplicates = None
            if use_database:
                from validators.duplicates import DuplicateStore

                checks = organisation.checks
                duplicates = DuplicateStore(
                    sessions,
                    duplicate_threshold=checks.duplicate_threshold,
                    review_threshold=checks.review_threshold,
                    window=checks.duplicate_window,
                )
            return registry, duplicates
    sheet = organisation.units_csv
    return Registry.of(refs_from_sheet(sheet) if sheet.is_file() else []), None


def _judge_docx_file(path: Path, ctx: JudgeContext, limit: int):  # noqa: ANN202 - a Judgement
    """A .docx larger than a whole message may be cannot be a submission: refused unread, never loaded."""
    size = path.stat().st_size
    if size > limit:
        detail = {"bytes": size, "limit": limit, "size_text": size_text(size), "limit_text": size_text(limit)}
        problem = ("file_too_large", detail)
        document = MailAttachment(path.name, "application/octet-stream", b"", "docx")
        return judge_docx(document, ctx, today=date.today(), problem=problem)
    document = MailAttachment(path.name, "application/octet-stream", path.read_bytes(), "docx")
    return judge_docx(document, ctx, today=date.today())


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="每封邮件输出一行 JSON（供程序读取）")
@click.option("--duplicates/--no-duplicates", default=True, help="有数据库时，同时检查是否与已采用信息重复")
@click.option("--verbose", is_flag=True, help="同时显示每个问题的代码和原始依据（供排查）")
@pass_app
def check(app: AppContext, paths: tuple[Path, ...], as_json: bool, duplicates: bool, verbose: bool) -> None:
    """检查 .eml 邮件或 .docx 文件是否符合报送要求（只检查，不登记）。

    有问题被退回时退出码为 1，全部通过为 0。
    """
    settings = app.settings
    try:
        organisation = load_organisation(settings.config_dir, settings.rules.organisation)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    registry, finder = _registry_and_duplicates(app, organisation, duplicates)
    ctx = JudgeContext(
        organisation.checks, registry, load_messages(settings.config_dir), finder, trusted_ids(settings.mailbox.authserv_id)
    )
    rejected = False
    for path in paths:
        if path.suffix.lower() == ".docx":
            judgement = _judge_docx_file(path, ctx, organisation.checks.max_message_bytes)
        else:
            with path.open("rb") as stream:
                saved = read_capped(stream, organisation.checks.max_message_bytes)
            mail = parse_mail(saved.raw)
            if saved.declared_size:
                mail = replace(mail, size=saved.declared_size)
            judgement = judge_mail(mail, ctx, today=date.today())
        rejected |= judgement.verdict == Verdict.REJECTED
        if as_json:
            click.echo(json_line(judgement_json(str(path), judgement)))
        else:
            click.echo(judgement_text(str(path), judgement, field_names=organisation.checks.asked_field_names, recorded=False, verbose=verbose) + "\n")
    sys.exit(1 if rejected else 0)


COMMANDS = [check]
