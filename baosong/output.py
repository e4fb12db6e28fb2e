"""How a judged message is shown: a JSON line (SPEC §6) or a readable Chinese report."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from baosong.labels import code_title
from validators.judgement import Judgement

VERDICT_NAMES = {"accepted": "通过（已登记）", "rejected": "退回", "review": "待人工审核", "ignored": "不予处理"}
CHECK_NAMES = {"accepted": "通过", "rejected": "退回", "review": "需人工审核", "ignored": "不予处理"}  # nothing recorded
SEVERITY_NAMES = {"error": "错误", "warning": "提醒", "review": "待审核", "ignored": "忽略"}


def judgement_json(source: str, judgement: Judgement, *, receipt: str | None = None) -> dict[str, Any]:
    mail = judgement.mail
    return {
        "source": source,
        "message_id": mail.message_id if mail else None,
        "verdict": str(judgement.verdict),
        "unit": judgement.unit.name if judgement.unit else None,
        "receipt": receipt,
        "findings": [
            {"code": f.code, "severity": str(f.severity), "message": f.message, "evidence": f.evidence}
            for f in judgement.findings
        ],
        "fields": judgement.fields,
        "photos": [{"name": p.display_name, "bytes": p.size} for p in judgement.photos],
    }


def json_line(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, default=str)


def _evidence_text(evidence: dict[str, Any]) -> str:
    shown = {k: v for k, v in evidence.items() if v not in (None, "", [], {})}
    return "；".join(f"{key}={value}" for key, value in shown.items())


def signoff_lines(fields: Mapping[str, str | None], field_names: Mapping[str, str], *, missing: str) -> list[str]:
    """"审核领导：张三" for each sign-off field, in the organisation's own words."""
    return [f"{label}：{fields.get(key) or missing}" for key, label in field_names.items()]


def judgement_text(
    source: str,
    judgement: Judgement,
    *,
    field_names: Mapping[str, str],
    receipt: str | None = None,
    recorded: bool = True,
    verbose: bool = False,
) -> str:
    """A report a clerk or a unit's 信息员 can read in a terminal: each problem by its Chinese name and
    message; the internal code and the evidence's raw values only when `verbose`. Without `recorded`
    (`baosong check`) nothing was registered, and the verdict does not say so. The sign-off fields
    the organisation asks for are named as it names them (`field_names`: 审核领导 / 审签人 …)."""
    names = VERDICT_NAMES if recorded else CHECK_NAMES
    lines = [f"【{source}】", f"  结论：{names.get(str(judgement.verdict), judgement.verdict)}"]
    if receipt:
        lines.append(f"  收件编号：{receipt}")
    lines.append(f"  报送单位：{judgement.unit.name if judgement.unit else '未识别'}")
    fields = judgement.fields
    if judgement.submission is not None:
        lines.append(f"  标题：{fields['title'] or '（无）'}")
        if field_names:
            lines.append("  " + "  ".join(signoff_lines(fields, field_names, missing="（无）")))
    if judgement.photos:
        lines.append("  照片：" + "、".join(f"{p.display_name}（{p.size:,} 字节）" for p in judgement.photos))
    if not judgement.findings:
        lines.append("  未发现问题。")
    for number, finding in enumerate(judgement.findings, start=1):
        label = SEVERITY_NAMES.get(str(finding.severity), finding.severity)
        name = finding.code if verbose else code_title(finding.code, field_names)
        lines.append(f"  {number}. [{label}] {name}：{finding.message}")
        if verbose and finding.code != "CLASSIFIED_MARKING" and finding.evidence:
            lines.append(f"     依据：{_evidence_text(finding.evidence)}")
    return "\n".join(lines)
