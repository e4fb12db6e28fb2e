"""An organisation's configuration: config/orgs/<key>/ holds checks.toml, scoring.toml, units.csv.

A file may say `extends = "A"` (another organisation's file) or `extends = "shared-checks.toml"`
(a file beside the organisation folders): it is merged over that file, so differences between
organisations are data, never code branches.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from validators.findings import Severity


class ConfigError(ValueError):
    """A configuration file is missing or malformed; the message is for administrators (Chinese)."""


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def load_layered(orgs_dir: Path, key: str, filename: str, _seen: tuple[str, ...] = ()) -> dict[str, Any]:
    """Read orgs/<key>/<filename>, following `extends` chains (a key ending in .toml is orgs/<key>)."""
    if key in _seen:
        raise ConfigError(f"配置 {filename} 的 extends 出现循环：{' → '.join((*_seen, key))}")
    path = orgs_dir / key if key.endswith(".toml") else orgs_dir / key / filename
    if not path.is_file():
        raise ConfigError(f"找不到配置文件：{path}")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"配置文件 {path} 格式错误：{exc}") from exc
    parent = data.pop("extends", None)
    if parent:
        return _merge(load_layered(orgs_dir, parent, filename, (*_seen, key)), data)
    return data


@dataclass(frozen=True)
class VagueWords:
    place: tuple[str, ...]
    time: tuple[str, ...]
    allow: tuple[str, ...]


@dataclass(frozen=True)
class CheckRules:
    """Everything the validators need to know about one organisation's house rules."""

    name: str
    short_name: str
    mailbox: str
    signature: str  # the office that receives items and signs replies, by its full name
    secure_channel: str
    receipt_prefix: str
    severity: dict[str, Severity]
    disabled: frozenset[str]  # codes whose severity is "off": the rule is not run
    mail_intake: bool  # false: items come from an OA export, the mailbox is not read
    max_message_bytes: int
    photo_min_bytes: int
    undescribed_name_patterns: tuple[re.Pattern[str], ...]
    required_fields: tuple[str, ...]
    mobile_required: bool
    labels: dict[str, tuple[str, ...]]
    field_names: dict[str, str]  # what replies call reviewer, author, phone (审核领导 / 审签人 …)
    vague: VagueWords
    quoted_severity: Severity
    require_explicit_date: bool
    stale_after_days: int
    urgency_minutes: dict[str, int]  # 【tag】 → time limit in minutes (STALE_EVENT)
    filename_title_similarity: int
    duplicate_window: int  # days back from the day of the check (首报)
    duplicate_threshold: float
    review_threshold: float
    template_sign_off: str  # `baosong template`: the sign-off line ("" for none)
    template_notes: tuple[str, ...]  # `baosong template`: the lines of the 填报须知 box

    @property
    def asked_field_names(self) -> dict[str, str]:
        """The sign-off fields this organisation asks for, by its own names (D: only 分管领导审核签字; B: none)."""
        return {key: name for key, name in self.field_names.items() if key in self.required_fields}


OFF = "off"


def _checks_from(data: dict[str, Any], config_dir: Path) -> CheckRules:
    try:
        severities = data.get("severity", {})
        vague_path = config_dir / data["wording"]["vague_words"]
        vague = tomllib.loads(vague_path.read_text(encoding="utf-8"))
        return CheckRules(
            name=data["name"],
            short_name=data.get("short_name", data["name"]),
            mailbox=data.get("mailbox", ""),
            signature=data.get("signature", data["name"]),
            secure_channel=data.get("secure_channel", "机要渠道"),
            receipt_prefix=data["receipt_prefix"],
            severity={code: Severity(value) for code, value in severities.items() if value != OFF},
            disabled=frozenset(code for code, value in severities.items() if value == OFF),
            mail_intake=bool(data["intake"]["mail"]),
            max_message_bytes=int(data["limits"]["max_message_bytes"]),
            photo_min_bytes=int(data["photos"]["min_bytes"]),
            undescribed_name_patterns=tuple(
                re.compile(p, re.IGNORECASE) for p in data["photos"]["undescribed_name_patterns"]
            ),
            required_fields=tuple(data["fields"]["required"]),
            mobile_required=bool(data["fields"]["mobile_required"]),
            labels={name: tuple(values) for name, values in data["fields"]["labels"].items()},
            field_names={name: str(value) for name, value in data["fields"]["names"].items()},
            vague=VagueWords(
                place=tuple(vague["place"]), time=tuple(vague["time"]), allow=tuple(vague.get("allow", ()))
            ),
            quoted_severity=Severity(data["wording"]["quoted_severity"]),
            require_explicit_date=bool(data["dates"]["require_explicit_date"]),
            stale_after_days=int(data["dates"]["stale_after_days"]),
            urgency_minutes={tag: int(minutes) for tag, minutes in data["dates"]["urgency_minutes"].items()},
            filename_title_similarity=int(data["filename"]["title_similarity"]),
            duplicate_window=data["duplicates"]["window"],
            duplicate_threshold=float(data["duplicates"]["duplicate_threshold"]),
            review_threshold=float(data["duplicates"]["review_threshold"]),
            template_sign_off=str(data["template"]["sign_off"]),
            template_notes=tuple(str(line) for line in data["template"]["notes"]),
        )
    except (KeyError, TypeError, ValueError, OSError, re.error, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"检查规则配置有误：{exc!r}") from exc


@dataclass(frozen=True)
class Organisation:
    key: str
    config_dir: Path
    checks: CheckRules

    @property
    def directory(self) -> Path:
        return self.config_dir / "orgs" / self.key

    @property
    def units_csv(self) -> Path:
        return self.directory / "units.csv"

    @property
    def name(self) -> str:
        return self.checks.name


def load_organisation(config_dir: Path, key: str) -> Organisation:
    key = key.removesuffix(".toml").removeprefix("orgs/").strip("/")
    if not (config_dir / "orgs" / key / "checks.toml").is_file():
        choices = "、".join(available_organisations(config_dir)) or "（无）"
        raise ConfigError(f"没有名为「{key}」的规则集（[rules] organisation）。可选：{choices}，见 {config_dir / 'orgs'}")
    data = load_layered(config_dir / "orgs", key, "checks.toml")
    return Organisation(key=key, config_dir=config_dir, checks=_checks_from(data, config_dir))


def available_organisations(config_dir: Path) -> list[str]:
    return sorted(p.parent.name for p in (config_dir / "orgs").glob("*/checks.toml"))
