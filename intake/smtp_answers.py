"""What a sending server's refusal means, as the providers word it: one declarative table.

The SMTP code alone says too little. QQ Mail answers `550 Mailbox unavailable or access denied`
when a recipient got too much mail in a short time (wait and retry), NetEase answers
`550 RP:TRC` when the account has reached its recipients for the day (stop until tomorrow), and
`554 DT:SPM` when it judged the reply to be spam (this reply will never go out). Each row below
matches the server's text; the first match decides. A refusal no row knows falls back on its code:
5xx permanent, 4xx temporary. A 4xx is never taken as permanent, whatever its words.

Sources: NetEase's published bounce codes (退信代码说明), QQ Mail's and Tencent exmail's
frequency-limit notes, Alibaba Cloud DirectMail's error table, RFC 3463 status codes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Meaning(StrEnum):
    RECIPIENT = "recipient"  # this address does not exist or is closed: permanent, says nothing of the account
    MESSAGE = "message"  # this reply was refused (spam verdict, size): permanent
    ACCOUNT = "account"  # our account or settings are refused: permanent until an administrator acts
    DAILY_LIMIT = "daily_limit"  # the account has used up today's sending: pause until tomorrow
    RATE = "rate"  # sending too fast or to one address too often: retry later
    TEMPORARY = "temporary"  # any other 4xx: retry later
    PERMANENT = "permanent"  # any other 5xx


PERMANENT_MEANINGS = frozenset({Meaning.RECIPIENT, Meaning.MESSAGE, Meaning.ACCOUNT, Meaning.PERMANENT})


@dataclass(frozen=True)
class Answer:
    provider: str  # "" when the words are common to many servers
    pattern: str  # a regular expression searched (case-insensitive) in "CODE TEXT"
    meaning: Meaning
    explanation: str  # Chinese, for the clerk: what happened and what to do


ANSWERS: tuple[Answer, ...] = (
    # ---- daily sending limits: nothing more goes out today, whoever the recipient
    Answer("网易邮箱", r"\bRP:TRC\b", Meaning.DAILY_LIMIT,
           "发信账号今天累计的收件人数已达上限，今天不再接受发信。"),
    Answer("网易邮箱", r"\bMI:STC\b", Meaning.DAILY_LIMIT,
           "发信账号今天的发信量或连接次数已达上限，今天不再接受发信。"),
    Answer("", r"daily[^.]{0,30}(quota|limit)|sending (quota|limit)|发信(量|额度|数量)[^。]{0,10}(上限|超限|超过)|"
           r"当天不再接受|本日内禁止", Meaning.DAILY_LIMIT, "发信账号已达到邮箱服务商规定的每日发信上限。"),
    # ---- frequency limits: wait and try again (QQ's 550s are limits, not unknown users)
    Answer("QQ 邮箱", r"Mailbox unavailable or access denied", Meaning.RATE,
           "收件人短时间内收到的邮件太多，服务商暂时拒收发给这个地址的邮件，稍后自动重试。"),
    Answer("QQ 邮箱", r"(Sender|Domain|Connection|Ip) frequency limited", Meaning.RATE,
           "发信太频繁，服务商暂时限制发信，稍后自动重试。"),
    Answer("网易邮箱", r"\b(MI:SFQ|RP:QRC|MI:DMC|RP:DRC|HL:IFC|HL:ICC)\b", Meaning.RATE,
           "短时间内发信太多，服务商暂时限制发信，稍后自动重试。"),
    # ---- spam verdicts: this reply will not be taken
    Answer("网易邮箱", r"\b5\d\d\b.*\bDT:SPM\b", Meaning.MESSAGE,
           "这封回复被判定为垃圾邮件，拒绝发送。可在管理台核对回复内容后重新发送，或电话告知报送单位。"),
    Answer("", r"spam|content (rejected|reject|denied)|垃圾邮件", Meaning.MESSAGE,
           "邮件服务商把这封回复判定为垃圾邮件，拒绝发送。可在管理台核对回复内容后重新发送，或电话告知报送单位。"),
    Answer("", r"exceed(ed|s)? (the )?mail ?size|message (is )?too (long|large|big)|size limit|\b552 5\.3\.4\b",
           Meaning.MESSAGE, "回复邮件（含批注后的文档）超过了邮件服务商允许的大小。"),
    # ---- the recipient does not exist or is closed
    Answer("", r"user not found|unknown user|user unknown|no such user|invalid user|user not exist|"
           r"mailbox not found|mailbox unavailable|recipient (address )?rejected|user suspended|account disabled|"
           r"\b5\.1\.[12]\b|用户不存在|收件人不存在", Meaning.RECIPIENT,
           "收件地址不存在或已停用：请核实该单位登记的邮箱，在单位名录中改正后重新发送。"),
    # ---- our account or settings
    Answer("网易邮箱", r"Mail from must equal authori[sz]ed user|\bDT:SUM\b", Meaning.ACCOUNT,
           "发信服务器要求发件地址与登录账号一致：请把 [smtp] sender 设为登录的邮箱账号。"),
    Answer("网易邮箱", r"NULL sender is not allowed", Meaning.ACCOUNT,
           "发信服务器不接受空信封发件人：请在 baosong.toml 中设置 [replies] null_sender = false。"),
    Answer("", r"authentication (is )?required|authentication failed", Meaning.ACCOUNT,
           "发信账号登录失败：请检查 [smtp] user 和授权码（BAOSONG_SMTP_PASSWORD），授权码不是网页登录密码。"),
)

GENERIC = {
    Meaning.TEMPORARY: "发信服务器暂时拒收，稍后自动重试。",
    Meaning.PERMANENT: "发信服务器拒绝发送这封回复。",
}


@dataclass(frozen=True)
class Refusal:
    code: int
    text: str  # the server's own words, "CODE TEXT"
    meaning: Meaning
    explanation: str

    @property
    def permanent(self) -> bool:
        return self.meaning in PERMANENT_MEANINGS


_COMPILED = tuple((re.compile(answer.pattern, re.IGNORECASE), answer) for answer in ANSWERS)


def classify(code: int, text: str) -> Refusal:
    """What the refusal `code text` means, from the first matching row, else from its code."""
    said = f"{code} {text}".strip()
    for pattern, answer in _COMPILED:
        if code < 500 and answer.meaning in PERMANENT_MEANINGS:
            continue
        if pattern.search(said):
            explanation = f"{answer.provider}：{answer.explanation}" if answer.provider else answer.explanation
            return Refusal(code, said, answer.meaning, explanation)
    meaning = Meaning.PERMANENT if 500 <= code < 600 else Meaning.TEMPORARY
    return Refusal(code, said, meaning, GENERIC[meaning])
