"""Realistic sample submissions for the demo: clean ones and each common mistake.

Everything is built for real (python-docx documents, Pillow JPEGs, `email` messages) with
invented people and example.cn addresses.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from email import message_from_bytes, policy
from email.header import Header
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

import docx
from docx.shared import Inches
from PIL import Image

OFFICE = "cjhbxx@example.cn"
DOCX_TYPE = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")


@dataclass(frozen=True)
class Sample:
    """One demo mail and what it is meant to show."""

    label: str  # what this sample demonstrates (Chinese, shown in the demo summary)
    raw: bytes
    expect: str  # the verdict it should get when processed in order
    needs_history: bool = False  # the verdict depends on earlier items (首报)


@dataclass
class Item:
    unit: str
    title: str
    paragraphs: list[str]
    reviewer: str | None = "李建国"
    author: str | None = "王晓燕"
    phone: str | None = "13899012345"
    pasted_photo: bool = False
    marking: str = ""
    extra: list[str] = field(default_factory=list)


def photo(seed: int, size: tuple[int, int] = (1600, 1200), quality: int = 95) -> bytes:
    """A real JPEG: noisy enough that 1600×1200 at quality 95 stays above 1 MB."""
    rng = random.Random(seed)
    small = Image.new("RGB", (size[0] // 4, size[1] // 4))
    small.putdata([(rng.randrange(60, 200), rng.randrange(80, 220), rng.randrange(40, 180)) for _ in range(small.width * small.height)])
    image = small.resize(size, Image.Resampling.NEAREST)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def document(item: Item) -> bytes:
    doc = docx.Document()
    if item.marking:
        doc.add_paragraph(item.marking)
    doc.add_heading(item.title, level=1)
    for text in item.paragraphs:
        doc.add_paragraph(text)
    if item.pasted_photo:
        buffer = io.BytesIO(photo(99, (400, 300), 80))
        doc.add_paragraph().add_run().add_picture(buffer, width=Inches(3))
    signoff = []
    for label, value in (("审核领导", item.reviewer), ("撰稿人", item.author), ("手机号", item.phone)):
        if value is not None:
            signoff.append(f"{label}：{value}")
    doc.add_paragraph("    ".join(signoff))
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def mail(
    sender: str,
    subject: str,
    when: date,
    *,
    docs: list[tuple[str, bytes]] = (),
    photos: list[tuple[str, bytes]] = (),
    body: str = "您好，报送信息一条，请审阅。",
    headers: dict[str, str] | None = None,
    others: list[tuple[str, bytes, tuple[str, str]]] = (),
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = OFFICE
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime(when.year, when.month, when.day, 10, 30).astimezone())
    message["Message-ID"] = make_msgid(domain="example.cn")
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    for name, data in docs:
        message.add_attachment(data, maintype=DOCX_TYPE[0], subtype=DOCX_TYPE[1], filename=name)
    for name, data, (maintype, subtype) in others:
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    for name, data in photos:
        message.add_attachment(data, maintype="image", subtype="jpeg", filename=name)
    return message.as_bytes()


def _d(today: date, days_back: int) -> str:
    day = today - timedelta(days=days_back)
    return f"{day.month}月{day.day}日"


def samples(today: date) -> list[Sample]:
    """About twenty mails from several units, in arrival order."""
    d1, d2, d3 = _d(today, 1), _d(today, 2), _d(today, 3)
    inspection = Item(
        "奇台县环境保护局",
        "奇台县环境保护局开展秋季大气污染防治专项执法检查",
        [
            f"{d2}，奇台县环境保护局组织执法人员12名，对县城周边18家涉气企业开展秋季大气污染防治专项执法检查，重点检查除尘设施运行、物料堆场苫盖和在线监测数据传输情况。",
            "检查中发现3家企业物料堆场苫盖不到位、1家企业除尘设施运行记录不全，执法人员当场下达责令改正通知书4份，要求限期10日内完成整改。",
            "下一步，奇台县环境保护局将对整改情况开展“回头看”，确保冬季采暖期空气质量稳定向好。",
        ],
    )
    water = Item(
        "昌吉市环境保护局",
        "昌吉市环境保护局完成饮用水水源地环境问题排查整治",
        [
            f"{d3}，昌吉市环境保护局完成全市6个县级以上集中式饮用水水源地环境问题排查，共排查一级、二级保护区面积36.5平方公里。",
            "排查发现的2处违规堆放问题已全部清理到位，水源地界标、警示牌缺损的8处已补设完成。",
        ],
    )
    monitoring = Item(
        "昌吉州环境监测站",
        "昌吉州环境监测站完成第三季度空气自动监测数据审核",
        [
            f"{d1}，昌吉州环境监测站完成全州11个空气自动监测站第三季度监测数据审核工作，数据有效率达到98.7%。",
            "审核中对2个站点的异常数据进行了现场核查和标注，相关情况已报送自治区生态环境监测总站。",
        ],
    )
    training = Item(
        "阜康市环境保护局",
        "阜康市环境保护局举办危险废物规范化管理培训班",
        [
            f"{d2}，阜康市环境保护局举办危险废物规范化管理培训班，全市46家产废企业的环保负责人参加培训。",
            "培训围绕危险废物识别、贮存场所建设、转移联单填报等内容进行讲解，并现场演示了固体废物管理信息系统的操作。",
        ],
    )
    publicity = Item(
        "昌吉州生态环境局宣教科（组织人事科）",
        "昌吉州生态环境局开展生态环境保护宣传进社区活动",
        [
            f"{d1}，昌吉州生态环境局宣教科在昌吉市宁边路社区开展生态环境保护宣传活动，发放垃圾分类、节能减排宣传册800余份。",
            "活动现场设置了有奖问答环节，吸引社区居民200余人参与。",
        ],
    )
    vague = Item(
        "呼图壁县环境保护局",
        "我局近日开展建设项目环评审批服务提升行动",
        [
            "近日，我局开展建设项目环评审批服务提升行动，推行容缺受理、并联审批等措施。",
            "今年以来已为15个重点项目压缩审批时限40%以上，得到企业好评。",
        ],
    )
    no_author = Item(
        "玛纳斯县环境保护局",
        "玛纳斯县环境保护局开展入河排污口排查",
        [f"{d2}，玛纳斯县环境保护局对玛纳斯河流域开展入河排污口排查，共排查排污口23个，建立“一口一档”。"],
        author=None,
    )
    landline = Item(
        "木垒县环境保护局",
        "木垒县环境保护局推进农村生活污水治理",
        [f"{d3}，木垒县环境保护局完成5个行政村生活污水处理设施建设，受益群众3200余人。"],
        phone="0994-4822345",
    )
    pasted = Item(
        "吉木萨尔县环境保护局",
        "吉木萨尔县环境保护局开展秸秆禁烧巡查",
        [f"{d1}，吉木萨尔县环境保护局联合乡镇开展秸秆禁烧巡查，出动巡查人员60人次，未发现焚烧现象。"],
        pasted_photo=True,
    )
    duplicate_of_inspection = Item(
        "玛纳斯县环境保护局",
        "奇台县环境保护局开展秋季大气污染防治专项执法检查",
        inspection.paragraphs,
    )
    classified = Item(
        "昌吉州生态环境局法规科",
        "关于有关案件办理情况的报告",
        [f"{d1}，法规科对有关案件办理情况进行了梳理。"],
        marking="机密★1年",
    )
    gbk_named = Item(
        "准东经济技术开发区环境保护局",
        "准东开发区环境保护局开展重点排污单位自动监控设备检查",
        [f"{d2}，准东经济技术开发区环境保护局对园区14家重点排污单位的自动监控设备运行情况进行检查，发现并督促整改问题5个。"],
    )

    def name(item: Item) -> str:  # 单位+信息标题, the unit named once
        return f"{item.title}.docx" if item.title.startswith(item.unit) else f"{item.unit}{item.title}.docx"

    two = [(f"{training.unit}信息一.docx", document(training)), (f"{training.unit}信息二.docx", document(water))]
    old_word = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096)
    assessment = Item(
        "昌吉州生态环境局环评科",
        "州局环评科开展建设项目环评文件质量抽查",
        [
            f"{d2}，昌吉州生态环境局环评科组织专家对2026年以来审批的20份建设项目环评报告表开展质量抽查。",
            "抽查发现2份报告表存在工程分析不充分的问题，已通知编制单位限期补正。",
        ],
    )
    forwarded_inner = mail(
        "xiaoli_personal@example.net",
        assessment.title,
        today,
        docs=[(name(assessment), document(assessment))],
        photos=[("专家抽查环评文件现场.jpg", photo(7))],
    )

    result = [
        Sample("合格信息（3张照片）", mail("qitai@example.cn", inspection.title, today,
               docs=[(name(inspection), document(inspection))],
               photos=[(f"检查现场{n}.jpg", photo(n)) for n in (1, 2, 3)]), "accepted"),
        Sample("合格信息", mail("changji@example.cn", water.title, today,
               docs=[(name(water), document(water))], photos=[("水源地排查现场.jpg", photo(4))]), "accepted"),
        Sample("合格信息", mail("jcz@example.cn", monitoring.title, today,
               docs=[(name(monitoring), document(monitoring))]), "accepted"),
        Sample("合格信息", mail("fukang@example.cn", training.title, today,
               docs=[(name(training), document(training))], photos=[("培训现场.jpg", photo(5))]), "accepted"),
        Sample("合格信息", mail("xjk@example.cn", publicity.title, today,
               docs=[(name(publicity), document(publicity))], photos=[("宣传活动现场.jpg", photo(6))]), "accepted"),
        Sample("使用“我局”“近日”等模糊表述", mail("hutubi@example.cn", vague.title, today,
               docs=[(name(vague), document(vague))]), "rejected"),
        Sample("缺少撰稿人", mail("manasi@example.cn", no_author.title, today,
               docs=[(name(no_author), document(no_author))]), "rejected"),
        Sample("只留座机号码，没有手机号", mail("mulei@example.cn", landline.title, today,
               docs=[(name(landline), document(landline))]), "rejected"),
        Sample("照片贴在正文里", mail("jimusaer@example.cn", pasted.title, today,
               docs=[(name(pasted), document(pasted))]), "rejected"),
        Sample("微信压缩过的照片（不足 1 MB）", mail("gaoxin@example.cn", "高新区环保局开展噪声扰民专项整治", today,
               docs=[("高新区环保局开展噪声扰民专项整治.docx", document(Item(
                   "昌吉高新技术产业开发区环境保护局", "高新区环保局开展噪声扰民专项整治",
                   [f"{d1}，昌吉高新技术产业开发区环境保护局对辖区12处建筑工地开展夜间施工噪声专项整治。"])))],
               photos=[("微信图片_20261120153012.jpg", photo(8, (800, 600), 70))]), "rejected"),
        Sample("他单位已报送过的同一信息（首报原则）", mail("manasi@example.cn", duplicate_of_inspection.title, today,
               docs=[(name(duplicate_of_inspection), document(duplicate_of_inspection))]), "rejected",
               needs_history=True),
        Sample("旧版 .doc 文件", mail("nongye@example.cn", "农业园区环保局信息", today,
               others=[("农业园区环保局开展畜禽养殖污染检查.doc", old_word, ("application", "msword"))]), "rejected"),
        Sample("一封邮件两条信息", mail("fukang@example.cn", "两条信息", today, docs=two), "rejected"),
        Sample("正文写在邮件里、没有附件", mail("wkk@example.cn", "污控科工作信息", today,
               body=f"{d1}，污控科对重点行业企业开展了排污许可证后管理检查。"), "rejected"),
        Sample("带有密级标识", mail("fgk@example.cn", classified.title, today,
               docs=[(name(classified), document(classified))]), "rejected"),
        Sample("用“超大附件”链接发照片", mail("stk@example.cn", "生态科信息", today,
               docs=[("州局生态科开展自然保护地监督检查.docx", document(Item(
                   "昌吉州生态环境局生态科", "州局生态科开展自然保护地监督检查",
                   [f"{d2}，昌吉州生态环境局生态科对辖区3处自然保护地开展监督检查。"])))],
               body="照片较大，请通过超大附件下载：https://mail.qq.com/cgi-bin/ftnExs_download?k=demo123"), "rejected"),
        Sample("GBK 编码文件名（163 网页邮箱）", _gbk_named(mail("zhundong@example.cn", gbk_named.title, today,
               docs=[(name(gbk_named), document(gbk_named))], photos=[("监控设备检查现场.jpg", photo(9))])), "accepted"),
        Sample("信息员从个人邮箱转发", _forward("hpk@example.cn", forwarded_inner, today), "accepted"),
        Sample("个人邮箱报送、无法确定单位", mail("someone@example.net", "关于环境保护工作的一点信息", today,
               docs=[("信息.docx", document(Item("", "社区环境整治工作取得成效",
                     [f"{d1}，某社区组织志愿者清理河道垃圾2吨。"])))]), "review"),
        Sample("休假自动回复", mail("changji@example.cn", "自动回复：您的邮件已收到", today,
               body="我正在休假，11月25日返回。", headers={"Auto-Submitted": "auto-replied"}), "ignored"),
        Sample("广告邮件", mail("promo@example.org", "办公用品大促销", today, body="全场五折，欢迎选购。"), "ignored"),
    ]
    return result


def _gbk_named(raw: bytes) -> bytes:
    """Re-encode the .docx file name the way Chinese webmail does: GBK bytes labelled gb2312."""
    message = message_from_bytes(raw, policy=policy.compat32)
    for part in message.walk():
        filename = part.get_filename()
        if filename and filename.endswith(".docx"):
            encoded = Header(filename, "gb2312").encode()
            del part["Content-Disposition"]
            part["Content-Disposition"] = f'attachment; filename="{encoded}"'
    return message.as_bytes()


def _forward(sender: str, inner: bytes, today: date) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = OFFICE
    message["Subject"] = "转发：报送信息"
    message["Message-ID"] = make_msgid(domain="example.cn")
    message.set_content("转发个人邮箱中的信息，请审阅。")
    message.add_attachment(message_from_bytes(inner, policy=policy.default))
    return message.as_bytes()
