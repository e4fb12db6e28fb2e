"""A labelled corpus of 政务信息 items for the 首报 (duplicate) check, generated from a seed.

Items are drawn from topic templates (meetings, inspections, training, environmental enforcement,
poverty alleviation, disaster prevention, ethnic unity, river patrols). Each template sentence has
several phrasings, and each item fills units, dates, figures, places and people.

One item in ten writes its dates and figures in Chinese numerals (十一月三日, 三十五名), and one in
ten is a short routine notice (the monthly meeting in two sentences).

From a corpus item the generator derives, with labels:
- near-duplicates (the same report again): a resend, sentences reordered, 5–20% of the wording
  edited, one date swapped, the unit name swapped (another unit resending it), a paragraph added,
  a mix of these, the resend with its dates and figures in Chinese numerals, a copy in traditional
  characters, or a late-December item resent in early January. Edits rewrite wording, never
  figures or dates: a changed figure or date is what the date-swap variant models on its own.
- hard negatives (another event, or not the same report): the same phrasing with other dates and
  figures (the next month's meeting), other places and figures on the same day (another township),
  every fact drawn anew, the next run of a recurring event written in Chinese numerals, the next
  run of a short routine notice, or a long summary that quotes the item in full among three others.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Literal

import opencc

COUNTIES = [
    "青山县", "河口县", "白云县", "石林县", "红河县", "金平县", "永胜县", "云龙县", "凤庆县", "安宁市",
    "宣威市", "弥勒市", "泸西县", "华坪县", "宁洱县", "墨江县", "景谷县", "澜沧县", "双江县", "耿马县",
]
DEPARTMENTS = [
    "自然资源局", "生态环境分局", "应急管理局", "农业农村局", "林业和草原局",
    "水务局", "民族宗教事务局", "乡村振兴局", "交通运输局", "住房和城乡建设局",
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "建国华明伟芳军红平强丽敏静磊洋艳勇杰涛超秀兰霞刚辉玲桂英志文海波宏斌"
TITLES = ["局长", "党组书记、局长", "副局长", "党组成员、副局长", "四级调研员"]
PLACE_HEADS = "龙凤云石松桃柳金银新长安永大东西南北清马鹿白黑红青"
PLACE_TAILS = "山坝溪林田桥塘源湾岭庄岗营寨坪"
RIVERS = ["青龙河", "白马河", "清水江", "南盘江", "红水河", "盘龙江", "小江河", "沙河"]
COURSES = ["不动产登记", "国土空间规划", "地质灾害防治", "政务信息写作", "行政执法规范化", "耕地保护"]
EDIT_CHARS = "的了和在是对有为于要把将与及等进行开展工作全面加强推进落实深入持续进一步切实不断有效积极重点"

# A topic: titles, then paragraphs; a paragraph is a list of sentence slots, a slot lists phrasings.
TOPICS: dict[str, tuple[list[str], list[list[list[str]]]]] = {
    "安全生产": (
        ["{unit}召开{m}月份安全生产工作例会", "{unit}召开安全生产专题会议部署{m}月份重点工作", "{unit}扎实开展{m}月份安全生产形势分析"],
        [
            [
                ["{m}月{d}日，{unit}在{place}召开{m}月份安全生产工作例会，{leader}出席会议并讲话，局班子成员、各股室负责人及{n1}名安全员参加会议。",
                 "{m}月{d}日上午，{unit}组织召开安全生产工作会议，传达学习上级安全生产会议精神，{leader}主持会议，{n1}名干部职工参会。"],
                ["会议通报了{m}月份以来安全生产形势，共排查一般隐患{n2}处，已整改{n3}处。",
                 "会议指出，今年以来共组织检查{n2}次，发现并整改各类问题{n3}个，安全生产形势总体平稳。"],
            ],
            [
                ["会议强调，要坚持人民至上、生命至上，牢固树立安全发展理念，压紧压实企业主体责任和部门监管责任。",
                 "会议要求，各股室要清醒认识当前安全生产工作面临的严峻形势，切实增强责任感和紧迫感。"],
                ["要聚焦{place}等重点区域，对{n4}家重点企业开展全覆盖检查，做到不留死角、不留盲区。",
                 "要针对汛期、高温等特殊时段，对辖区内{n4}处重点部位加强巡查，确保隐患早发现、早处置。"],
            ],
            [
                ["会议对下一阶段工作作出安排：一是加强值班值守，严格执行领导带班制度；二是强化应急演练，{m2}月{d2}日前完成{n5}场专项演练；三是加强宣传教育，营造人人讲安全的良好氛围。",
                 "会议明确，{m2}月{d2}日前各股室要完成本领域风险隐患自查，形成问题清单、责任清单和整改清单，计划组织应急演练{n5}场。"],
            ],
            [
                ["下一步，{unit}将持续保持高压态势，以时时放心不下的责任感抓好各项措施落实，坚决防范遏制重特大事故发生。",
                 "会后，各股室迅速行动，当天即组织{n6}个检查组深入{village}等地开展安全检查。"],
            ],
        ],
    ),
    "执法督查": (
        ["{unit}开展{place}违法用地专项督查", "{unit}深入{place}开展耕地保护执法检查", "{unit}对{place}耕地“非农化”问题开展实地核查"],
        [
            [
                ["为进一步压实耕地保护责任，{m}月{d}日至{m2}月{d2}日，{unit}抽调{n1}名执法人员组成{n2}个督查组，对{place}开展违法用地专项督查。",
                 "{m}月{d}日，{leader}带领执法监察大队{n1}名队员深入{place}{village}，对卫片执法图斑逐一开展实地核查。"],
                ["此次督查采取查阅资料、实地踏勘、走访群众相结合的方式，重点检查乱占耕地建房、违规占用永久基本农田等问题。",
                 "检查组对照卫片图斑清单，逐宗核实土地用途、占地面积和审批手续。"],
            ],
            [
                ["督查共核查图斑{n3}宗，涉及面积{a1}亩，发现疑似违法用地{n4}宗。",
                 "截至目前，已完成{n3}宗图斑的外业核查，核查面积{a1}亩，其中合法用地{n5}宗，疑似违法{n4}宗。"],
                ["对发现的问题，督查组现场下达整改通知书{n6}份，明确整改时限和责任人。",
                 "针对发现的问题，督查组当场反馈{place}党委政府，要求立行立改。"],
            ],
            [
                ["下一步，{unit}将建立问题台账，实行销号管理，对整改不力的严肃追责问责，坚决守住耕地保护红线。",
                 "{leader}要求，要坚持零容忍态度，对新增违法用地做到早发现、早制止、严查处。"],
            ],
        ],
    ),
    "业务培训": (
        ["{unit}举办{course}业务培训班", "{unit}开展{course}专题培训", "{unit}{m}月{d}日举办{course}能力提升培训"],
        [
            [
                ["{m}月{d}日至{m2}月{d2}日，{unit}在{place}举办{course}业务培训班，全系统{n1}名业务骨干参加培训。",
                 "为提升干部职工业务能力，{m}月{d}日，{unit}举办为期{n2}天的{course}专题培训，{leader}作开班动员讲话。"],
                ["培训邀请{n3}名省市专家授课，围绕政策法规解读、业务实操、典型案例分析等内容进行系统讲解。",
                 "本次培训采取集中授课、现场教学、分组讨论相结合的方式，共安排课程{n4}节。"],
            ],
            [
                ["培训期间，学员们认真听讲、积极互动，围绕工作中遇到的难点问题与授课老师深入交流。",
                 "授课专家结合{n5}个典型案例，深入浅出地讲解了操作规范和常见问题处理方法。"],
                ["培训结束后进行了闭卷测试，参训人员合格率达{p1}%。",
                 "培训结束时组织了结业考试，{n6}名学员成绩优秀。"],
            ],
            [
                ["参训人员纷纷表示，通过培训进一步拓宽了视野、提升了能力，将把所学知识运用到实际工作中。",
                 "{leader}要求，全体参训人员要学以致用，以培训成果推动{course}工作提质增效。"],
            ],
        ],
    ),
    "环境执法": (
        ["{unit}开展{place}涉气企业专项执法检查", "{unit}组织开展{m}月份环境执法“双随机”抽查", "{unit}依法查处{place}一企业环境违法行为"],
        [
            [
                ["{m}月{d}日，{unit}执法人员对{place}工业集中区{n1}家涉气企业开展专项执法检查。",
                 "{m}月{d}日，{unit}按照“双随机、一公开”要求，抽取{n1}家企业开展现场执法检查，{leader}带队。"],
                ["执法人员重点检查了企业环评手续、污染防治设施运行、在线监测数据等情况。",
                 "检查组采取不打招呼、直奔现场的方式，重点查看废气、废水治理设施运行台账。"],
            ],
            [
                ["检查发现，{n2}家企业存在污染防治设施未正常运行、危险废物管理不规范等问题，执法人员当场责令整改。",
                 "经查，{place}某建材公司未按规定落实扬尘防治措施，颗粒物排放浓度超标{p1}%，已依法立案查处，拟处罚款{a1}万元。"],
                ["截至{m2}月{d2}日，已完成整改{n3}家，其余企业正在按期整改。",
                 "今年以来，{unit}累计出动执法人员{n4}人次，检查企业{n5}家次，立案查处环境违法案件{n6}起。"],
            ],
            [
                ["下一步，{unit}将持续保持环境执法高压态势，对违法行为发现一起、查处一起，切实改善{county}生态环境质量。",
                 "{leader}表示，将坚持严格执法与指导帮扶相结合，引导企业主动守法，推动高质量发展与高水平保护协同并进。"],
            ],
        ],
    ),
    "乡村振兴": (
        ["{unit}扎实推进{place}巩固拓展脱贫攻坚成果", "{unit}驻村工作队助力{village}产业发展", "{unit}赴{place}开展结对帮扶走访活动"],
        [
            [
                ["{m}月{d}日，{leader}带领{n1}名干部职工深入{place}{village}，开展巩固拓展脱贫攻坚成果走访帮扶活动。",
                 "{m}月{d}日至{m2}月{d2}日，{unit}组织{n1}名帮扶干部分赴{place}{n2}个村，逐户开展防止返贫动态监测。"],
                ["帮扶干部入户走访脱贫户和监测户{n3}户，详细了解家庭收入、产业发展、务工就业等情况。",
                 "工作组对照两不愁三保障标准，逐户核实{n3}户群众的住房、饮水、医疗和教育保障情况。"],
            ],
            [
                ["今年以来，{unit}协调落实帮扶资金{a1}万元，支持{village}发展特色种植{n4}亩，带动{n5}户群众增收。",
                 "在产业帮扶方面，{unit}帮助{village}建成蔬菜大棚{n4}个，吸纳{n5}名群众就近务工，人均月增收{n6}元。"],
                ["针对走访中发现的{n2}条困难诉求，工作队建立台账，逐项明确责任人和完成时限。",
                 "走访中，帮扶干部还宣讲了就业、教育、医疗等惠民政策，发放宣传资料{n6}份。"],
            ],
            [
                ["下一步，{unit}将继续压实帮扶责任，坚决守住不发生规模性返贫的底线，全力推动乡村全面振兴。",
                 "{leader}表示，将持续巩固帮扶成效，推动帮扶工作由输血向造血转变。"],
            ],
        ],
    ),
    "防灾减灾": (
        ["{unit}开展汛期地质灾害隐患排查", "{unit}在{place}组织开展地质灾害应急演练", "{unit}部署{place}地质灾害防治工作"],
        [
            [
                ["进入汛期以来，{unit}高度重视地质灾害防治工作，{m}月{d}日起组织{n1}个排查组对{place}等{n2}个乡镇开展拉网式排查。",
                 "{m}月{d}日，{unit}在{place}{village}组织开展地质灾害应急避险演练，{leader}现场指挥，{n1}名群众参加演练。"],
                ["排查组对辖区内{n3}处地质灾害隐患点逐一核查，重点查看裂缝变形、监测设施和群测群防落实情况。",
                 "演练模拟强降雨引发山体滑坡，检验了监测预警、转移避险、抢险救援等环节的协同配合能力。"],
            ],
            [
                ["排查中新发现隐患点{n4}处，已全部纳入监测范围，落实群测群防员{n5}名。",
                 "演练中，{n5}户群众在{n6}分钟内全部安全转移至避险点，达到了预期效果。"],
                ["同时，向受威胁群众发放防灾避险明白卡{n6}份，确保群众掌握撤离路线和避险方法。",
                 "活动现场发放宣传手册{n4}份，讲解地质灾害识别和自救互救知识。"],
            ],
            [
                ["下一步，{unit}将严格落实汛期值班制度，加强与气象部门会商研判，全力保障人民群众生命财产安全。",
                 "{leader}强调，要始终绷紧防灾减灾这根弦，做到隐患排查不漏一处、预警信息不漏一户。"],
            ],
        ],
    ),
    "民族团结": (
        ["{unit}开展民族团结进步宣传月活动", "{unit}走进{village}开展民族团结联谊活动", "{unit}在{place}开展民族政策宣讲"],
        [
            [
                ["{m}月{d}日，{unit}联合{place}党委政府在{village}开展民族团结进步宣传活动，{leader}参加活动。",
                 "{m}月{d}日，{unit}组织{n1}名党员干部走进{place}{village}，开展民族团结一家亲主题活动。"],
                ["活动现场设置宣传展板{n2}块，发放宣传资料{n3}份，解答群众咨询{n4}人次。",
                 "活动通过政策宣讲、文艺演出、有奖问答等群众喜闻乐见的形式，宣传党的民族政策和法律法规。"],
            ],
            [
                ["活动中，党员干部与各族群众同吃一桌饭、共话一家亲，为{n5}户困难群众送去米、面、油等慰问品。",
                 "参加活动的{n5}名各族群众纷纷表示，要像石榴籽一样紧紧抱在一起，共同建设美好家园。"],
                ["今年以来，{unit}累计开展民族团结进步创建活动{n6}场次，覆盖群众{n2}00余人。"],
            ],
            [
                ["下一步，{unit}将持续深化民族团结进步创建工作，铸牢中华民族共同体意识，推动各民族共同团结奋斗、共同繁荣发展。"],
            ],
        ],
    ),
    "河湖长制": (
        ["{unit}开展{river}{m}月份巡河工作", "{unit}推进{river}清四乱专项整治", "{unit}组织开展{river}{place}段巡查"],
        [
            [
                ["{m}月{d}日，{leader}带队对{river}{place}段开展巡河，实地察看河道保洁、岸线管护和排污口整治情况。",
                 "{m}月{d}日至{m2}月{d2}日，{unit}组织{n1}名河湖管护人员对{river}沿线{n2}公里河道开展清四乱专项巡查。"],
                ["巡河组沿河步行察看，详细了解水质监测、垃圾清运等情况，并听取{place}河长工作汇报。",
                 "巡查采取无人机航拍与人工徒步相结合的方式，对河道内乱占、乱采、乱堆、乱建问题进行全面排查。"],
            ],
            [
                ["此次巡查共发现问题{n3}个，现场交办{n4}个，清理河道垃圾{a1}吨，拆除违规建筑{n5}处。",
                 "截至目前，{river}{place}段水质稳定达到三类标准，今年累计清理河道垃圾{a1}吨。"],
                ["对发现的问题，巡河组现场下达交办单，要求{n6}日内整改到位。",
                 "巡查结束后，{unit}召开专题会议，对{n3}个问题逐一明确整改责任单位。"],
            ],
            [
                ["下一步，{unit}将持续压实各级河长责任，推动河长制从有名有实向有能有效转变，让{river}水清岸绿、河畅景美。"],
            ],
        ],
    ),
}
# Shared by every topic, as real items share their openings and their lists of measures.
OPENINGS = [
    "为深入贯彻落实党中央、国务院和省委、省政府决策部署，{unit}坚持问题导向和目标导向，把{topic}作为当前一项重要任务来抓，成立了由主要领导任组长的工作专班。",
    "今年以来，{unit}紧紧围绕中心工作，聚焦群众急难愁盼问题，统筹推进{topic}各项工作，取得了阶段性成效。",
    "按照{county}委、{county}政府工作安排，{unit}认真研究制定{topic}工作方案，细化{n6}项具体措施，明确时间表和路线图。",
]
MEASURES = [
    "{unit}主要采取了以下措施：一是强化组织领导，召开专题会议{n6}次研究部署；二是强化督促检查，组织专项督查{n5}轮；三是强化宣传引导，通过微信公众号等平台发布信息{n4}条，营造了良好氛围。",
    "为确保工作取得实效，{unit}建立了周调度、月通报工作机制，实行清单化管理、项目化推进，目前已形成工作台账{n5}份，协调解决具体问题{n6}个。",
    "在工作推进中，{unit}注重加强与{place}等乡镇和相关部门的沟通协作，形成了上下联动、齐抓共管的工作格局，累计召开联席会议{n5}次。",
    "同时，{unit}坚持把作风建设贯穿始终，组织干部深入一线调查研究，累计走访群众{n4}人次，收集意见建议{n6}条，逐条研究提出办理意见。",
]
EXTRA_PARAGRAPHS = [
    "据统计，今年1至{m}月，{unit}累计办理各类业务{x1}件，同比增长{x2}%。",
    "此外，{unit}还同步开展了作风纪律专项整治，查找问题{x1}个，制定整改措施{x2}条。",
    "活动期间，{county}融媒体中心进行了全程报道，相关视频浏览量达{x1}人次。",
    "{unit}将以此次活动为契机，进一步转变工作作风，提升服务质效，全年计划开展同类活动{x2}场次。",
]
# Short routine notices: (title, body), the same two sentences every month.
SHORT_NOTICES = [
    ("{unit}召开{m}月份安全生产例会", "{m}月{d}日，{unit}召开{m}月份安全生产例会，{n1}名干部职工参加会议，会议通报排查一般隐患{n2}处。"),
    ("{unit}开展{river}{m}月份巡河", "{m}月{d}日，{leader}带队巡查{river}{place}段，清理河道垃圾{a1}吨，现场交办问题{n3}个。"),
    ("{unit}召开{m}月份理论学习中心组学习会", "{m}月{d}日，{unit}召开党组理论学习中心组{m}月份集中学习会，{n1}名班子成员参加学习，{n4}人作交流发言。"),
    ("{unit}开展{m}月份森林防火巡查", "{m}月{d}日，{unit}组织{n1}名护林员对{place}{n2}个重点林区开展森林防火巡查，排除火灾隐患{n3}处。"),
]
NUMBER_SLOTS = ("n1", "n2", "n3", "n4", "n5", "n6", "a1", "p1")
NEAR_KINDS = (
    "resend", "reorder", "edit", "date_swap", "unit_swap", "paragraph_added", "mixed",
    "numerals", "traditional", "year_end",
)
HARD_KINDS = ("recurring", "other_place", "new_event", "recurring_numerals", "recurring_short", "long_summary")
CN_DIGITS = "〇一二三四五六七八九"
ARABIC_FIGURE = re.compile(r"(?<![\d.])(\d{1,4})(?![\d.%])(?=[年月日号人名个家户处宗亩次场份元条项吨])")
TO_TRADITIONAL = opencc.OpenCC("s2t")
FACT_SPAN = re.compile(r"(?:\d+(?:\.\d+)?|[〇零一二三四五六七八九十百千]+)(?:%|[万亿]?[\u4e00-\u9fff])?")
SENTENCE = re.compile(r"[^。；！？]*[。；！？]?")


@dataclass(frozen=True)
class CorpusItem:
    """An accepted item as the duplicate index would hold it."""

    item_id: int
    unit: str
    receipt: str
    accepted_on: date
    text: str  # title line, then the body paragraphs


def chinese_number(n: int) -> str:
    """35 → 三十五, 105 → 一百零五, 2400 → 二千四百 (up to 9999)."""
    if n < 20:
        return CN_DIGITS[n] if n < 10 else "十" + (CN_DIGITS[n - 10] if n > 10 else "")
    out, zero, started = "", False, False
    for digit, name in zip((n // 1000 % 10, n // 100 % 10, n // 10 % 10, n % 10), ("千", "百", "十", "")):
        if digit == 0:
            zero = started
            continue
        out += ("零" if zero else "") + CN_DIGITS[digit] + name
        zero, started = False, True
    return out


def in_chinese_numerals(text: str) -> str:
    """Dates and whole figures as an office writing in numerals would: 二〇二六年十一月三日, 三十五名."""
    def figure(match: re.Match[str]) -> str:
        digits = match[1]
        if len(digits) == 4 and text[match.end()] == "年":
            return "".join(CN_DIGITS[int(d)] for d in digits)
        return chinese_number(int(digits))

    return ARABIC_FIGURE.sub(figure, text)


@dataclass(frozen=True)
class Query:
    """A new submission to check, labelled with what it really is."""

    text: str
    unit: str  # the sending unit (its name is stripped before comparing)
    kind: str  # one of NEAR_KINDS or HARD_KINDS
    label: Literal["near", "hard"]
    source_id: int  # the corpus item it was derived from
    day: date  # the day it is checked (the window counts back from it)

    @property
    def expected_id(self) -> int | None:
        """The item this query duplicates, or None for a hard negative."""
        return self.source_id if self.label == "near" else None


@dataclass
class LabelledSet:
    corpus: list[CorpusItem]
    queries: list[Query]


@dataclass(frozen=True)
class _Draft:
    """What an item is made of: the chosen phrasings and the values that fill them."""

    topic: str
    title: str
    paragraphs: tuple[tuple[str, ...], ...]
    values: dict[str, str] = field(hash=False)
    signoff: str = ""
    numerals: bool = False  # dates and figures in Chinese numerals
    short: bool = False  # a short routine notice

    def render(self) -> str:
        lines = [self.title.format(**self.values)]
        lines += ["".join(s.format(**self.values) for s in paragraph) for paragraph in self.paragraphs]
        if self.signoff:
            lines.append(self.signoff)
        text = "\n".join(lines)
        return in_chinese_numerals(text) if self.numerals else text


class Generator:
    """Deterministic source of items, near-duplicates and hard negatives for one seed."""

    def __init__(self, seed: int, year: int = 2026) -> None:
        self.rng = random.Random(seed)
        self.year = year
        self.units = [county + dept for county in COUNTIES for dept in DEPARTMENTS]
        self.leaders = {unit: self._leader() for unit in self.units}

    def _name(self) -> str:
        rng = self.rng
        return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))

    def _leader(self) -> str:
        return self.rng.choice(TITLES) + self._name()

    def _place(self, suffix: str) -> str:
        return self.rng.choice(PLACE_HEADS) + self.rng.choice(PLACE_TAILS) + suffix

    def _date_values(self) -> dict[str, str]:
        start = date(self.year, 1, 1) + timedelta(days=self.rng.randrange(355))
        end = start + timedelta(days=self.rng.randint(1, 9))
        return {"m": str(start.month), "d": str(start.day), "m2": str(end.month), "d2": str(end.day)}

    def _place_values(self) -> dict[str, str]:
        return {"place": self._place(self.rng.choice("镇乡")), "village": self._place("村")}

    def _number_values(self) -> dict[str, str]:
        rng = self.rng
        return {
            **{f"n{i}": str(rng.randint(2, 300)) for i in range(1, 7)},
            "a1": f"{rng.randint(1, 900)}.{rng.randint(1, 9)}",
            "p1": str(rng.randint(60, 99)),
        }

    def _signoff(self) -> str:
        if self.rng.random() >= 0.3:
            return ""
        return f"（撰稿：{self._name()}  审核：{self._name()}  电话：139{self.rng.randint(10000000, 99999999)}）"

    def draft(self, unit: str | None = None, *, numerals: bool = False, short: bool = False) -> _Draft:
        rng = self.rng
        topic = rng.choice(list(TOPICS))
        titles, paragraphs = TOPICS[topic]
        unit = unit or rng.choice(self.units)
        values = {
            "unit": unit,
            "county": unit[:3],
            "leader": self.leaders[unit],
            "river": rng.choice(RIVERS),
            "course": rng.choice(COURSES),
            **self._date_values(),
            **self._place_values(),
            **self._number_values(),
        }
        chosen = [tuple(rng.choice(slot) for slot in paragraph) for paragraph in paragraphs]
        if rng.random() < 0.8:
            chosen.insert(0, (rng.choice(OPENINGS),))
        for measure in rng.sample(MEASURES, rng.choice((1, 1, 2))):
            chosen.insert(len(chosen) - 1, (measure,))
        values["topic"] = topic + "工作"
        if short:
            title, body = rng.choice(SHORT_NOTICES)
            return _Draft("短讯", title, ((body,),), values, self._signoff(), numerals, short=True)
        return _Draft(topic, rng.choice(titles), tuple(chosen), values, self._signoff(), numerals)

    def accepted_on(self, draft: _Draft) -> date:
        event = date(self.year, int(draft.values["m"]), int(draft.values["d"]))
        return min(event + timedelta(days=self.rng.randint(0, 2)), date(self.year, 12, 31))

    # --- near-duplicates -------------------------------------------------------------------

    def near_duplicate(self, draft: _Draft, kind: str) -> tuple[str, str]:
        """(text, sending unit) of a resubmission of `draft`."""
        unit = draft.values["unit"]
        if kind == "resend":
            return draft.render(), unit
        if kind == "reorder":
            return self._reorder(draft.render()), unit
        if kind == "edit":
            return self._edit(draft.render(), self.rng.uniform(0.05, 0.20)), unit
        if kind == "date_swap":
            day = int(draft.values["d"])
            swapped = str(day + self.rng.randint(1, 3) if day <= 25 else day - self.rng.randint(1, 3))
            return self._edit(replace(draft, values={**draft.values, "d": swapped}).render(), 0.03), unit
        if kind == "unit_swap":
            other = self.rng.choice([u for u in self.units if u != unit])
            return self._edit(draft.render().replace(unit, other), 0.03), other
        if kind == "paragraph_added":
            return self._add_paragraph(draft.render(), draft.values), unit
        if kind == "mixed":
            text = self._add_paragraph(self._reorder(draft.render()), draft.values)
            return self._edit(text, self.rng.uniform(0.05, 0.10)), unit
        if kind == "numerals":
            return in_chinese_numerals(draft.render()), unit
        if kind == "traditional":
            return TO_TRADITIONAL.convert(draft.render()), unit
        if kind == "year_end":
            return self._edit(draft.render(), 0.03), unit
        raise ValueError(kind)

    def _reorder(self, text: str) -> str:
        title, *paragraphs = text.split("\n")
        shuffled = []
        for paragraph in paragraphs:
            sentences = [s for s in SENTENCE.findall(paragraph) if s]
            self.rng.shuffle(sentences)
            shuffled.append("".join(sentences))
        self.rng.shuffle(shuffled)
        return "\n".join([title, *shuffled])

    def _edit(self, text: str, rate: float) -> str:
        """Rewrite `rate` of the Chinese characters (substitute, delete, insert), never a fact."""
        protected = {i for m in FACT_SPAN.finditer(text) for i in range(m.start() - 1, m.end())}
        editable = [i for i, ch in enumerate(text) if "\u4e00" <= ch <= "\u9fff" and i not in protected]
        chars = list(text)
        for i in sorted(self.rng.sample(editable, round(rate * len(editable))), reverse=True):
            operation = self.rng.random()
            if operation < 0.5:
                chars[i] = self.rng.choice(EDIT_CHARS)
            elif operation < 0.75:
                del chars[i]
            else:
                chars.insert(i, self.rng.choice(EDIT_CHARS))
        return "".join(chars)

    def _add_paragraph(self, text: str, values: dict[str, str]) -> str:
        extra = self.rng.choice(EXTRA_PARAGRAPHS).format(
            **values, x1=self.rng.randint(100, 9000), x2=self.rng.randint(2, 60)
        )
        lines = text.split("\n")
        lines.insert(self.rng.randint(2, len(lines)), extra)
        return "\n".join(lines)

    # --- hard negatives --------------------------------------------------------------------

    def hard_negative(self, draft: _Draft, kind: str, others: Sequence[_Draft] = ()) -> tuple[str, str]:
        """(text, sending unit) of another event written with the same phrasing, or of a summary
        that quotes `draft` among `others`."""
        values = dict(draft.values)
        if kind == "long_summary":
            bodies = [d.render().split("\n", 1)[1] for d in (draft, *others)]
            self.rng.shuffle(bodies)
            return "\n".join([f"{values['unit']}{self.year}年工作综述", *bodies]), values["unit"]
        if kind in {"recurring", "recurring_numerals", "recurring_short"}:
            values.update(self._date_values())
            while values["m"] == draft.values["m"]:
                values.update(self._date_values())
            values.update(self._number_values())
        elif kind == "other_place":
            values.update(self._place_values())
            values.update(self._number_values())
        elif kind == "new_event":
            values.update(self._date_values())
            values.update(self._place_values())
            values.update(self._number_values())
        else:
            raise ValueError(kind)
        text = replace(draft, values=values, signoff=self._signoff()).render()
        return self._edit(text, self.rng.uniform(0.0, 0.03)), draft.values["unit"]


def corpus(seed: int, size: int, *, year: int = 2026, first_id: int = 1) -> Iterator[tuple[CorpusItem, _Draft]]:
    """`size` accepted items with ids from `first_id`, with the drafts they were rendered from;
    one in ten in Chinese numerals, one in ten a short routine notice."""
    generator = Generator(seed, year)
    for item_id in range(first_id, first_id + size):
        draft = generator.draft(numerals=item_id % 10 == 0, short=item_id % 10 == 5)
        item = CorpusItem(
            item_id=item_id,
            unit=draft.values["unit"],
            receipt=f"GEN-{year}-{item_id:06d}",
            accepted_on=generator.accepted_on(draft),
            text=draft.render(),
        )
        yield item, draft


def labelled_set(seed: int, *, corpus_size: int, near: int, hard: int, year: int = 2026) -> LabelledSet:
    """A corpus plus `near` near-duplicate and `hard` hard-negative queries derived from it.

    Queries are checked on the last day of the year, year-end resends in early January."""
    pairs = list(corpus(seed, corpus_size, year=year))
    generator = Generator(seed + 1, year)
    rng = generator.rng
    pools = {
        "year_end": [p for p in pairs if p[0].accepted_on >= date(year, 12, 20)],
        "recurring_numerals": [p for p in pairs if p[1].numerals],
        "recurring_short": [p for p in pairs if p[1].short],
        "long_summary": [p for p in pairs if not p[1].short],
    }
    queries = []
    for n in range(near + hard):
        label = "near" if n < near else "hard"
        kinds = NEAR_KINDS if label == "near" else HARD_KINDS
        kind = kinds[(n if label == "near" else n - near) % len(kinds)]
        item, draft = rng.choice(pools.get(kind) or pairs)
        day = date(year, 12, 31)
        if label == "near":
            text, unit = generator.near_duplicate(draft, kind)
            if kind == "year_end":
                day = date(year + 1, 1, rng.randint(2, 10))
        else:
            others = [d for _, d in rng.sample(pools["long_summary"], 3)] if kind == "long_summary" else ()
            text, unit = generator.hard_negative(draft, kind, others)
        queries.append(Query(text, unit, kind, label, item.item_id, day))
    return LabelledSet([item for item, _ in pairs], queries)
