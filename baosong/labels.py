"""Chinese wording the console shows for verdicts, actions and finding codes."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from baosong.models.outbox import OUTBOX_STATE_LABELS as OUTBOX_STATES

VERDICTS = {
    "accepted": "已接收",
    "rejected": "已退回",
    "review": "待人工审核",
    "ignored": "已忽略",
}

ACTIONS = {
    "judged": "自动审核",
    "accept": "人工接收",
    "reject": "确认退回",
    "revoke": "撤销接收",
    "mark_not_duplicate": "标记为不重复",
    "mark_duplicate": "标记为重复",
    "set_unit": "设定单位",
    "set_category": "设定类别",
    "import_oa": "OA导出表导入",
    "import_ledger": "原有台账导入",
    "note": "添加备注",
    "retry_message": "重新处理邮件",
    "rejudge": "重新审核",
    "reply_release": "重新发送回复",
    "no_reply": "未自动回复",
    "adopt": "登记采用",
    "endorse": "登记批示",
    "commission": "登记约稿",
    "commission_delivered": "约稿交稿",
    "adjust": "加减分",
    "settle": "了结",
    "resubmitted": "重新报送",
    "correct_adoption": "更正采用",
    "delete_adoption": "删除采用",
    "correct_endorsement": "更正批示",
    "delete_endorsement": "删除批示",
    "correct_adjustment": "更正加减分",
    "delete_adjustment": "删除加减分",
    "correct_commission": "更正约稿",
    "delete_commission": "删除约稿",
}

ENTRY_FIELDS = {  # the fields of a books entry, as a correction or deletion names them
    "outlet": "刊物", "adopted_on": "刊发日期", "proof_received_on": "收到证明日期", "note": "备注",
    "level": "批示级别", "leader": "批示领导", "endorsed_on": "批示日期",
    "points": "分值", "percent": "百分比", "dated_on": "计分日期", "reason": "原因", "kind": "项目",
    "score_group": "分组", "topic": "题目", "due_on": "期限", "delivered_on": "交稿日期",
}

ACTORS = {"system": "系统"}


def actor_label(actor: str) -> str:
    """Who did it, as a clerk reads it: automatic decisions are the system's."""
    return ACTORS.get(actor, actor)

CODES = {
    "AUTO_SUBMITTED": "自动邮件",
    "NOT_A_SUBMISSION": "非报送邮件",
    "NO_DOCX": "缺少 Word 附件",
    "LEGACY_WORD_FORMAT": "旧版 Word 格式",
    "MULTIPLE_DOCX": "多个 Word 附件",
    "MULTIPLE_ITEMS": "一个文档多条信息",
    "CORRUPT_DOCX": "Word 文件损坏",
    "OVERSIZED_MESSAGE": "邮件过大",
    "CLOUD_ATTACHMENT_LINK": "超大附件链接",
    "MISSING_TITLE": "缺少标题",
    "EMPTY_BODY": "正文为空",
    "TEMPLATE_NOT_FILLED": "模板未填写",
    "MISSING_REVIEWER": "缺少审核领导",
    "MISSING_AUTHOR": "缺少撰稿人",
    "MISSING_PHONE": "缺少手机号",
    "INVALID_PHONE": "手机号无效",
    "PHOTO_IN_BODY": "图片插在正文中",
    "PHOTO_TOO_SMALL": "照片小于 1 MB",
    "PHOTO_NOT_IMAGE": "照片无法打开",
    "PHOTO_ARCHIVE": "照片在压缩包中",
    "CLASSIFIED_MARKING": "密级标识",
    "VAGUE_WORDING": "表述不具体",
    "DUPLICATE": "重复报送",
    "POSSIBLE_DUPLICATE": "疑似重复",
    "UNKNOWN_UNIT": "单位不明",
    "SENDER_NOT_REGISTERED": "发件邮箱未登记",
    "SENDER_NOT_AUTHENTICATED": "发件人未通过验证",
    "FILENAME_FORMAT": "文件名格式",
    "PHOTO_NAME_UNDESCRIBED": "照片未命名",
    "NO_EXPLICIT_DATE": "缺少具体日期",
    "STALE_EVENT": "时效超期",
}

SEVERITIES = {"error": "错误", "warning": "提醒", "review": "需人工判断", "ignored": "忽略"}


SIGN_OFF_TITLES = {  # sign-off codes, titled by the organisation's name for the field (C: 缺少审签人)
    "MISSING_REVIEWER": ("reviewer", "缺少{}"),
    "MISSING_AUTHOR": ("author", "缺少{}"),
    "MISSING_PHONE": ("phone", "缺少{}"),
    "INVALID_PHONE": ("phone", "{}无效"),
}


def code_title(code: str, field_names: Mapping[str, str] | None = None) -> str:
    """A finding's Chinese name; a sign-off field as `field_names` names it (D: 缺少分管领导审核签字)."""
    field, title = SIGN_OFF_TITLES.get(code, ("", ""))
    if field_names and field in field_names:
        return title.format(field_names[field])
    return CODES.get(code, code)


@lru_cache(maxsize=8)
def fix_templates(messages_file: Path) -> dict[str, str]:
    """The `fix` text of every code from config/messages.toml (empty when the file is missing)."""
    try:
        data = tomllib.loads(messages_file.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return {}
    return {code: entry.get("fix", "") for code, entry in data.items() if isinstance(entry, dict)}


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


def suggestion(code: str, params: dict[str, Any], templates: dict[str, str]) -> str:
    """How to put the finding right, filled from the finding's parameters."""
    template = templates.get(code, "")
    try:
        return template.format_map(_Blank(params or {}))
    except (ValueError, IndexError, AttributeError):
        return ""



REPLY_KINDS = {
    "accepted": "接收回执",
    "rejected": "退回通知",
    "review": "待审核通知",
    "classified": "涉密提醒",
    "duplicate": "重复报送通知",
    "daily_cap_notice": "当日上限提醒",
    "accepted_by_clerk": "人工接收通知",
    "rejected_by_clerk": "人工退回通知",
}

_BOOK_DETAILS = {
    "adopt": "被「{outlet}」采用（{adopted_on}）",
    "endorse": "{level}级领导批示 {leader}（{endorsed_on}）",
    "adjust": "{unit}：{amount}（{dated_on}）",
    "commission": "向{unit}约稿「{topic}」，{due_on} 前交稿",
    "commission_delivered": "约稿 {commission_id} 于 {delivered_on} 交稿（期限 {due_on}）",
    "reply_release": "回复邮件 {outbox_id}（原状态：{state}）",
    "import_ledger": "{file} 第 {row} 行",
    "resubmitted": "单位已重新报送，新条目 {by_receipt}",
    "rejudge": "已忽略 → {state}{receipt_text}",
}


def audit_details(action: str, details: dict[str, Any] | None) -> str:
    """What a bookkeeping or outbox audit entry recorded, in a line (its reason is shown beside it)."""
    if action.startswith(("correct_", "delete_")) and isinstance(details, dict):
        return _entry_change(details)
    template = _BOOK_DETAILS.get(action)
    if template is None or not isinstance(details, dict):
        return ""
    values = _Blank(details)
    if action == "adjust":
        points, percent = details.get("points"), details.get("percent")
        values["amount"] = f"{points:g} 分" if points is not None else f"全年总分 {percent:g}%" if percent is not None else ""
    if action == "rejudge":
        values["state"] = VERDICTS.get(details.get("verdict", ""), details.get("verdict", ""))
        values["receipt_text"] = f"，收件编号 {details['receipt']}" if details.get("receipt") else ""
    if action == "reply_release":
        values["state"] = OUTBOX_STATES.get(details.get("from_state", ""), details.get("from_state", ""))
    return " ".join(template.format_map(values).split())


def _entry_change(details: dict[str, Any]) -> str:
    """记录 12：刊发日期 2026-03-05 → 2026-03-09 (a correction), or what a deleted entry held."""
    changed = details.get("changed") or {}
    if changed:
        parts = [f"{ENTRY_FIELDS.get(key, key)} {_shown(old)} → {_shown(new)}" for key, (old, new) in changed.items()]
    else:
        before = details.get("before") or {}
        parts = [f"{ENTRY_FIELDS.get(key, key)} {_shown(value)}" for key, value in before.items() if value not in (None, "")]
    return f"记录 {details.get('entry_id', '')}：" + "，".join(parts)


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "（空）"
    return f"{value:g}" if isinstance(value, float) else str(value)
