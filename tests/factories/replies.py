"""Real inputs for the reply tests: a .docx with located problems, its parsed view, mails, judgements."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, datetime

import docx
from PIL import Image
from sqlalchemy.orm import Session

from baosong.models import Item, RawMessage
from intake.message import MailAttachment, ParsedMail
from validators.findings import Finding, Location, Severity, Verdict
from validators.judgement import Judgement, UnitRef
from validators.submission import FieldValue, Paragraph, Submission

UNIT = UnitRef(id=None, name="青山县生态环境分局", emails=("qsx@example.cn",))
TITLE = "我局召开安全生产工作会议"
BODY = "近日，我局在三楼会议室召开安全生产工作会议，局长王建国出席并讲话。"
SIGNOFF = "审核领导：李四  撰稿人：张三"
DOCX_NAME = "青山县生态环境分局召开安全生产工作会议.docx"


def png_bytes(size: int = 40) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (size, size), (30, 120, 200)).save(out, format="PNG")
    return out.getvalue()


def problem_docx() -> bytes:
    """Title, a body paragraph split over differently formatted runs, a pasted picture, a sign-off
    without a phone number."""
    document = docx.Document()
    document.add_paragraph(TITLE)
    body = document.add_paragraph()
    body.add_run("近日，我")  # the vague word 我局 straddles two runs
    bold = body.add_run("局在三楼会议室")
    bold.bold = True
    body.add_run("召开安全生产工作会议，局长王建国出席并讲话。")
    picture = document.add_paragraph("现场照片：")
    picture.add_run().add_picture(io.BytesIO(png_bytes()))
    document.add_paragraph(SIGNOFF)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def problem_submission() -> Submission:
    paragraphs = [
        Paragraph(1, TITLE, "body"),
        Paragraph(2, BODY, "body"),
        Paragraph(3, "现场照片：", "body"),
        Paragraph(4, SIGNOFF, "body"),
    ]
    return Submission(
        title=TITLE,
        title_paragraph=1,
        paragraphs=paragraphs,
        body=paragraphs[1:3],
        fields={
            "reviewer": FieldValue("审核领导", "李四", 4),
            "author": FieldValue("撰稿人", "张三", 4),
            "phone": None,
        },
        pictures=[],
    )


def vague(word: str, paragraph: int, text: str, severity: Severity = Severity.ERROR) -> Finding:
    start = text.index(word)
    return Finding(
        code="VAGUE_WORDING",
        severity=severity,
        evidence={"word": word, "context": text[max(0, start - 4) : start + len(word) + 6]},
        location=Location("body", paragraph, start, start + len(word)),
        message=f"第{paragraph}段中的“{word}”表述不具体。请改为单位全称或具体日期。",
    )


def problem_findings() -> list[Finding]:
    return [
        vague("近日", 2, BODY),
        vague("我局", 2, BODY),
        Finding(
            "PHOTO_IN_BODY", Severity.ERROR, location=Location("body", 3),
            message="文档第3段中插入了图片，照片不能放在正文里。请把原始照片作为邮件附件单独发送。",
        ),
        Finding("MISSING_PHONE", Severity.ERROR, message="文档中没有写明撰稿人手机号。请在文末写明“手机号：11位手机号码”。"),
        Finding(
            "PHOTO_TOO_SMALL", Severity.ERROR, evidence={"name": "会场.jpg", "bytes": 20480},
            message="照片“会场.jpg”只有 20KB，小于要求的 1MB。请发送原图。",
        ),
        Finding(
            "PHOTO_NAME_UNDESCRIBED", Severity.WARNING, evidence={"name": "IMG_0001.jpg"},
            message="照片“IMG_0001.jpg”使用的是相机默认名称，看不出照片内容。请按照片内容重命名。",
        ),
    ]


def attachment(data: bytes, name: str = DOCX_NAME, kind: str = "docx") -> MailAttachment:
    content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return MailAttachment(name, content_type, data, kind)


def parsed_mail(**changes: object) -> ParsedMail:
    mail = ParsedMail(
        sender="qsx@example.cn",
        sender_name="青山县信息员",
        reply_to=None,
        subject="报送：青山县生态环境分局召开安全生产工作会议",
        date=datetime(2026, 3, 5, 9, 30, tzinfo=UTC),
        message_id="<unit-0001@example.cn>",
        in_reply_to=None,
        references=["<older-0000@example.cn>"],
        forwarded_from=None,
        auto_submitted=None,
        text_body="请审核。",
        html_body="",
        attachments=[attachment(problem_docx())],
        cloud_links=[],
    )
    return replace(mail, **changes)


def judgement(verdict: Verdict = Verdict.REJECTED, findings: list[Finding] | None = None, **mail_changes: object) -> Judgement:
    mail = parsed_mail(**mail_changes)
    return Judgement(
        verdict=verdict,
        findings=problem_findings() if findings is None else findings,
        unit=UNIT,
        unit_source="sender",
        mail=mail,
        submission=problem_submission(),
        docx=mail.attachments[0] if mail.attachments else None,
        photos=[],
    )


def stored_item(session: Session, verdict: Verdict, *, receipt: str | None = "CJHB-2026-{number:05d}", number: int = 1) -> Item:
    """An archived message and its item, as the pipeline records them before queueing the reply."""
    raw = RawMessage(
        sha256=f"{number:064x}", content_key=f"{number:064x}", path=f"raw/{number}.eml", size=100,
        message_id=f"<unit-{number:04d}@example.cn>", source="import",
    )
    session.add(raw)
    session.flush()
    item = Item(
        raw_message_id=raw.id, verdict=verdict, original_verdict=verdict, title=TITLE,
        receipt=receipt.format(number=number) if receipt else None,
        sender="qsx@example.cn", subject="报送：青山县生态环境分局召开安全生产工作会议",
        message_id=f"<unit-{number:04d}@example.cn>",
    )
    session.add(item)
    session.flush()
    return item
