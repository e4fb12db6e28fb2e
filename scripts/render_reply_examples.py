"""Render one example of every reply kind into docs/replies/ (<kind>.txt, .html, .eml).

The examples are produced by the real chain: sample mails are parsed and judged with
organisation A's rules, then rendered from config/replies/ exactly as units receive them.
Run after changing a template:  .venv/bin/python scripts/render_reply_examples.py
"""

from __future__ import annotations

import io
import random
from dataclasses import replace
from datetime import UTC, datetime
from email.message import EmailMessage
from hashlib import sha256

import docx
from PIL import Image

from baosong import BUNDLED_CONFIG, SOURCE_ROOT
from baosong.organisation import load_organisation
from intake.annotate import annotate_docx
from intake.mailparse import parse_mail
from intake.replies import (
    Envelope,
    FileAttachment,
    ReplyKind,
    ReplyTemplates,
    build_message,
    office_facts,
    reply_context,
    reply_kind,
    reply_subject,
)
from validators import catalogue
from validators.findings import Finding, Severity, Verdict
from validators.judge import JudgeContext, judge_mail
from validators.judgement import Judgement, UnitRef
from validators.registry import Registry

OUT = SOURCE_ROOT / "docs" / "replies"
ORGANISATION = "A"
UNIT = UnitRef(id=1, name="青山县生态环境分局", aliases=("青山县分局",), emails=("qsx@example.cn",))
RECEIVED = datetime(2026, 3, 5, 9, 30, tzinfo=UTC)
DOCX_TYPE = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")


def sample_docx(title: str, body: list[str], signoff: str, *, picture: bool = False, marking: str = "") -> bytes:
    document = docx.Document()
    if marking:
        document.add_paragraph(marking)
    document.add_paragraph(title)
    for text in body:
        document.add_paragraph(text)
    if picture:
        image = io.BytesIO()
        Image.new("RGB", (64, 48), (40, 110, 60)).save(image, format="PNG")
        document.add_paragraph("现场照片：").add_run().add_picture(image)
    document.add_paragraph(signoff)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def jpeg(size: int) -> bytes:
    """A photo-like JPEG of a repeatable size: seeded noise does not compress."""
    pixels = random.Random(size).randbytes(size * size * 3)
    out = io.BytesIO()
    Image.frombytes("RGB", (size, size), pixels).save(out, format="JPEG", quality=95)
    return out.getvalue()


def sample_mail(sender: str, subject: str, document: bytes, filename: str, photos: dict[str, bytes]) -> bytes:
    message = EmailMessage()
    message["From"] = f"信息员 <{sender}>"
    message["To"] = "cjhbxx@example.cn"
    message["Subject"] = subject
    message["Message-ID"] = f"<{sha256(subject.encode()).hexdigest()[:16]}@example.cn>"
    message.set_content("请审核。")
    message.add_attachment(document, maintype=DOCX_TYPE[0], subtype=DOCX_TYPE[1], filename=filename)
    for name, data in photos.items():
        message.add_attachment(data, maintype="image", subtype="jpeg", filename=name)
    return message.as_bytes()


GOOD_SIGNOFF = "审核领导：李四  撰稿人：张三  手机号：13912345678"
GOOD_BODY = ["3月4日，青山县生态环境分局在分局三楼会议室召开3月份安全生产工作例会，分局局长王建国出席并讲话，"
             "各股室负责人及12名安全员参加会议。会议通报了2月份全县重点排污单位检查情况。"]


def samples(context: JudgeContext) -> dict[ReplyKind, Judgement]:
    def judged(sender: str, subject: str, document: bytes, filename: str, photos: dict[str, bytes]) -> Judgement:
        mail = parse_mail(sample_mail(sender, subject, document, filename, photos))
        return judge_mail(mail, context, today=RECEIVED.date())

    big_photo = {"青山县分局安全生产例会现场.jpg": jpeg(1000)}
    accepted = judged(
        "qsx@example.cn", "青山县生态环境分局召开3月份安全生产工作例会",
        sample_docx("青山县生态环境分局召开3月份安全生产工作例会", GOOD_BODY, GOOD_SIGNOFF),
        "青山县生态环境分局召开3月份安全生产工作例会.docx", {"IMG_20260304_0931.jpg": jpeg(1000)},
    )
    rejected = judged(
        "qsx@example.cn", "报送信息",
        sample_docx("我局召开安全生产工作会议", ["近日，我局在三楼会议室召开安全生产工作会议，局长王建国出席并讲话。"],
                    "审核领导：李四  撰稿人：张三", picture=True),
        "安全生产会议.docx", {"会场.jpg": jpeg(120)},
    )
    review = judged(
        "someone@example.net", "信息报送",
        sample_docx("3月份安全生产工作例会召开", ["3月4日，分局在三楼会议室召开3月份安全生产工作例会，12名安全员参加会议。"],
                    GOOD_SIGNOFF), "信息.docx", big_photo,
    )
    classified = judged(
        "qsx@example.cn", "专项行动方案",
        sample_docx("关于开展专项行动的方案", GOOD_BODY, GOOD_SIGNOFF, marking="机密★1年"), "专项行动方案.docx", {},
    )
    duplicate_params = {"similarity_text": "93%", "first_unit": "河口县生态环境分局", "first_date": "2026年3月4日",
                        "first_title": "河口县生态环境分局召开3月份安全生产工作例会", "first_receipt": "CJHB-2026-00031"}
    duplicate = Finding(
        "DUPLICATE", Severity.ERROR, params=duplicate_params,
        evidence={"receipt": "CJHB-2026-00031", "unit": "河口县生态环境分局", "date": "2026-03-04", "similarity": 0.93},
        message=catalogue.render("DUPLICATE", duplicate_params, context.messages),
    )
    return {
        ReplyKind.ACCEPTED: accepted,
        ReplyKind.REJECTED: rejected,
        ReplyKind.REVIEW: review,
        ReplyKind.CLASSIFIED: classified,
        ReplyKind.DUPLICATE: replace(accepted, verdict=Verdict.REJECTED, findings=[duplicate]),
    }


def write(kind: ReplyKind, subject: str, text: str, html: str, in_reply_to: str | None,
          attachments: tuple[FileAttachment, ...] = (), automatic: bool = True) -> None:
    envelope = Envelope(
        sender="cjhbxx@example.cn", sender_name="昌吉州生态环境局", recipient="qsx@example.cn", subject=subject,
        message_id=f"<example-{kind.value}@reply.example.cn>", in_reply_to=in_reply_to, date=RECEIVED,
        kind=kind, automatic=automatic, attachments=attachments,
    )
    (OUT / f"{kind.value}.txt").write_text(text, encoding="utf-8")
    (OUT / f"{kind.value}.html").write_text(html, encoding="utf-8")
    (OUT / f"{kind.value}.eml").write_bytes(build_message(envelope, text, html).as_bytes())


def main() -> None:
    organisation = load_organisation(BUNDLED_CONFIG, ORGANISATION)
    context = JudgeContext(organisation.checks, Registry.of([UNIT]), catalogue.load_messages(BUNDLED_CONFIG))
    office = office_facts(organisation.checks)
    templates = ReplyTemplates(BUNDLED_CONFIG, ORGANISATION)
    OUT.mkdir(parents=True, exist_ok=True)
    for number, (kind, judgement) in enumerate(samples(context).items(), start=31):
        if reply_kind(judgement) != kind:
            raise SystemExit(f"示例邮件应得到 {kind} 回复，实际为 {reply_kind(judgement)}：{judgement.findings}")
        receipt = f"CJHB-2026-{number:05d}"
        title = judgement.submission.title if judgement.submission else ""
        attachments: tuple[FileAttachment, ...] = ()
        if kind == ReplyKind.REJECTED and judgement.docx and judgement.submission:
            annotated = annotate_docx(judgement.docx.payload, judgement.findings, judgement.submission)
            attachments = (FileAttachment(judgement.docx.display_name, *DOCX_TYPE, annotated),)
        values = reply_context(kind, judgement, receipt=receipt, title=title, office=office, received=RECEIVED,
                               annotated=bool(attachments))
        text, html = templates.render(kind, values)
        mail = judgement.mail
        write(kind, reply_subject(mail.subject, receipt, kind), text, html, mail.message_id, attachments)
    simple = {
        ReplyKind.DAILY_CAP_NOTICE: {"office": office, "cap": 20},
        ReplyKind.ACCEPTED_BY_CLERK: {"office": office, "receipt": "CJHB-2026-00040", "unit": UNIT.name,
                                      "title": "青山县生态环境分局开展春季河道巡查", "note": "经核实，文中日期无误，予以登记。"},
        ReplyKind.REJECTED_BY_CLERK: {"office": office, "receipt": "CJHB-2026-00041", "unit": UNIT.name,
                                      "title": "青山县生态环境分局开展春季河道巡查",
                                      "note": "与3月2日报送的《青山县开展河道巡查》为同一事项，请勿重复报送。"},
    }
    for kind, values in simple.items():
        text, html = templates.render(kind, values)
        write(kind, reply_subject("报送信息", values.get("receipt"), kind), text, html, "<sample@example.cn>",
              automatic=kind not in {ReplyKind.ACCEPTED_BY_CLERK, ReplyKind.REJECTED_BY_CLERK})
    print(f"已生成 {len(list(OUT.glob('*.txt')))} 种回复示例：{OUT}")


if __name__ == "__main__":
    main()
