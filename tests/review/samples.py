"""Sample console data built from real parts: a mail (email package), a JPEG (Pillow), findings as stored."""

from __future__ import annotations

import hashlib
import io
from datetime import UTC, datetime
from email.message import EmailMessage
from functools import cache

from PIL import Image
from sqlalchemy.orm import Session

from baosong.models import AttachmentRow, FindingRow, Item, RawMessage
from baosong.settings import Settings

PASSWORD = "correct horse battery"
PREFIX = "CJHB"
NOW = datetime(2026, 3, 18, 2, 0, tzinfo=UTC)  # 10:00 in Beijing


@cache
def jpeg_bytes(size: tuple[int, int] = (1600, 1200), quality: int = 95) -> bytes:
    image = Image.new("RGB", size)
    for x in range(0, size[0], 40):
        for y in range(0, size[1], 40):
            image.paste(((x * 7) % 256, (y * 3) % 256, (x + y) % 256), (x, y, x + 40, y + 40))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def raw_mail(subject: str, sender: str) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "cjhbxx@example.cn"
    message["Subject"] = subject
    message["Message-ID"] = "<sample@example.cn>"
    message.set_content("请审核附件中的信息。")
    return message.as_bytes()


def store(settings: Settings, relative: str, data: bytes) -> str:
    path = settings.data_dir / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return relative


def vague_item(
    settings: Settings,
    session: Session,
    *,
    unit_id: int | None,
    subject: str = "昌吉市环境保护局关于开展春季大气污染防治检查的信息",
    title: str = "昌吉市开展春季大气污染防治专项检查",
    classified: bool = False,
    received_at: datetime = NOW,
    photo_name: str = "检查现场.jpg",
    photo: bytes | None = None,
) -> Item:
    """A rejected item whose body says 近日, as the vague-wording check reports it."""
    body = "近日，昌吉市环境保护局组织开展春季大气污染防治专项检查，共检查企业12家。"
    raw_bytes = raw_mail(subject, "changji@example.cn")

    sha = hashlib.sha256(raw_bytes + subject.encode() + str(received_at).encode()).hexdigest()
    raw = RawMessage(
        sha256=sha, content_key=sha, path=store(settings, f"raw/{sha[:2]}/{sha}.eml", raw_bytes),
        size=len(raw_bytes), source="import", state="done", received_at=received_at,
    )
    session.add(raw)
    session.flush()
    item = Item(
        raw_message_id=raw.id, unit_id=unit_id, verdict="rejected", original_verdict="rejected",
        title=title, text=f"{title}\n{body}", subject=subject, sender="changji@example.cn",
        fields={"title": title, "reviewer": "李四", "author": "张三", "phone": "13912345678"},
        document={"paragraphs": [
            {"index": 1, "text": title, "part": "body"},
            {"index": 2, "text": body, "part": "body"},
            {"index": 3, "text": "审核领导：李四  撰稿人：张三  手机号：13912345678", "part": "body"},
        ]},
        received_at=received_at, classified=classified,
    )
    item.findings.append(
        FindingRow(
            code="VAGUE_WORDING", severity="error",
            message="正文第2段“近日，昌吉市环境保护局组织”中的“近日”表述不具体。",
            params={"word": "近日", "suggestion": "具体日期，如“3月16日”"},
            evidence={"context": "近日，昌吉市环境保护局组织"},
            location={"part": "body", "paragraph": 2, "start": 0, "end": 2},
        )
    )
    image = photo if photo is not None else jpeg_bytes()
    image_sha = hashlib.sha256(image).hexdigest()
    item.attachments.append(
        AttachmentRow(
            display_name=photo_name, content_type="image/jpeg", kind="image", size=len(image),
            sha256=image_sha, path=store(settings, f"attachments/{image_sha}", image),
        )
    )
    session.add(item)
    session.flush()
    return item
