"""Settings: one schema, read from baosong.toml and overridden by BAOSONG_<SECTION>_<KEY>.

Every key is declared once below with its default and a Chinese comment; `baosong init`
writes the commented file from this schema, so the two never drift apart.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from baosong import BUNDLED_CONFIG


def _key(default: Any, comment: str) -> Any:
    return field(default=default, metadata={"comment": comment})


@dataclass(frozen=True)
class MailboxSettings:
    host: str = _key("", "收件邮箱的 IMAP 服务器，如 imap.163.com")
    port: int = _key(993, "IMAP 端口")
    user: str = _key("", "邮箱账号")
    password: str = _key("", "密码或授权码：请用环境变量 BAOSONG_MAILBOX_PASSWORD 提供，不要写在文件里")
    ssl: bool = _key(True, "是否使用 SSL 连接")
    folder: str = _key("INBOX", "要读取的文件夹")
    processed_folder: str = _key("", "处理后移入的文件夹；留空则只加标记")
    processed_flag: str = _key("$Baosong", "处理后给邮件加的标记")
    poll_seconds: int = _key(60, "不支持 IDLE 时的轮询间隔（秒）")
    idle: bool = _key(True, "服务器支持时使用 IMAP IDLE，新邮件几秒内处理")
    idle_renew_seconds: int = _key(300, "IDLE 连接每隔多少秒重新发起")
    timeout_seconds: int = _key(60, "网络超时（秒）")
    authserv_id: str = _key(
        "",
        "收信服务器在 Authentication-Results 邮件头中写的服务器标识（authserv-id）：只采信这些标识的发件人验证结果，"
        "登记单位的邮箱未通过 SPF/DKIM/DMARC 验证时转人工审核。多个用逗号分隔，* 匹配任意字符。"
        "QQ 邮箱写 mx.qq.com；网易 126/163 写收信服务器短名如 mx19（填 mx*）；"
        "腾讯企业邮、新浪等请在网页版“查看原文/邮件头”中看 Authentication-Results: 后的第一个词。留空则不检查",
    )


@dataclass(frozen=True)
class SmtpSettings:
    host: str = _key("", "发信 SMTP 服务器，如 smtp.163.com")
    port: int = _key(465, "SMTP 端口")
    user: str = _key("", "发信账号；留空则使用收件邮箱账号")
    password: str = _key("", "请用环境变量 BAOSONG_SMTP_PASSWORD 提供")
    ssl: bool = _key(True, "是否使用 SSL 连接")
    starttls: bool = _key(False, "是否使用 STARTTLS")
    sender: str = _key("", "回复邮件的发件地址；留空则使用邮箱账号")
    timeout_seconds: int = _key(60, "发信网络超时（秒）")


@dataclass(frozen=True)
class DatabaseSettings:
    url: str = _key("", "数据库地址；留空则使用数据目录下的 SQLite 文件 baosong.db")


@dataclass(frozen=True)
class PathsSettings:
    data: str = _key("./data", "数据目录：原始邮件、附件、报表")
    config: str = _key("", "配置目录；留空则使用随程序附带的 config/")


@dataclass(frozen=True)
class WebSettings:
    host: str = _key("127.0.0.1", "管理台监听地址")
    port: int = _key(8000, "管理台端口")
    secret_key: str = _key("", "会话签名密钥：请用环境变量 BAOSONG_WEB_SECRET_KEY 提供；留空则每次启动随机生成")
    secure_cookies: bool = _key(False, "通过 HTTPS 提供管理台时设为 true")
    session_hours: float = _key(12.0, "登录后最长有效时间（小时）：到时须重新登录，不因操作而延长")
    idle_minutes: int = _key(120, "多少分钟没有任何操作就自动退出登录")
    trusted_proxies: tuple[str, ...] = _key(
        (),
        "管理台前面的反向代理（如 nginx）的地址或网段，如 [\"127.0.0.1\"]；只信任这些地址转来的 X-Forwarded-For。"
        "留空则不信任任何转发头，按直接连接的地址计算登录失败次数",
    )
    login_failures_per_account: int = _key(5, "同一账号连续登录失败几次后暂停登录")
    login_failures_per_address: int = _key(20, "同一来源地址登录失败几次后暂停登录（多名工作人员共用一个出口地址时可调大）")
    login_lockout_minutes: int = _key(15, "登录失败计数的时间窗口和暂停时长（分钟）")


@dataclass(frozen=True)
class RulesSettings:
    organisation: str = _key("A", "适用的规则集：config/orgs/ 下的文件名（不含 .toml）")
    max_judge_seconds: float = _key(
        300.0, "审核一封邮件的时间上限（秒）：超时则结束进程，由 systemd 等重启后继续；同一封邮件多次超时则转人工"
    )


@dataclass(frozen=True)
class RepliesSettings:
    enabled: bool = _key(True, "是否自动回复报送单位")
    daily_cap: int = _key(20, "每个地址每天最多自动回复几封")
    message_id_domain: str = _key("baosong.invalid", "回复邮件 Message-ID 使用的域名")
    null_sender: bool = _key(True, "自动回复使用空信封发件人 MAIL FROM:<>（RFC 3834）；服务器拒收时自动改用发件账号，也可设为 false")
    max_attempts: int = _key(20, "发信服务器故障时最多尝试几次，之后转人工处理")
    refusals_before_pause: int = _key(
        5, "发信服务器连续拒发几封回复（不是因为收件地址不存在）就视为达到每日发信上限，暂停发信到次日"
    )
    sent_folder: str = _key("", "服务器自动保存已发邮件的文件夹（如“已发送”）；发信中断时据此核对是否已发出，留空则交人工确认")


@dataclass(frozen=True)
class Settings:
    mailbox: MailboxSettings = field(default_factory=MailboxSettings)
    smtp: SmtpSettings = field(default_factory=SmtpSettings)
    database: DatabaseSettings = field(default_factory=DatabaseSettings)
    paths: PathsSettings = field(default_factory=PathsSettings)
    web: WebSettings = field(default_factory=WebSettings)
    rules: RulesSettings = field(default_factory=RulesSettings)
    replies: RepliesSettings = field(default_factory=RepliesSettings)
    source: Path | None = None  # the TOML file read, if any

    @property
    def data_dir(self) -> Path:
        return Path(self.paths.data).expanduser().resolve()

    @property
    def config_dir(self) -> Path:
        return Path(self.paths.config).expanduser().resolve() if self.paths.config else BUNDLED_CONFIG

    @property
    def database_url(self) -> str:
        return self.database.url or f"sqlite:///{self.data_dir / 'baosong.db'}"

    @property
    def smtp_sender(self) -> str:
        return self.smtp.sender or self.smtp.user or self.mailbox.user or f"baosong@{self.replies.message_id_domain}"


SECTIONS = [f.name for f in fields(Settings) if f.name != "source"]


def _cast(value: str, like: Any) -> Any:
    if isinstance(like, bool):
        if value.strip().lower() in {"1", "true", "yes", "on"}:
            return True
        if value.strip().lower() in {"0", "false", "no", "off", ""}:
            return False
        raise ValueError(f"不是布尔值：{value!r}")
    if isinstance(like, tuple):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    if isinstance(like, int):
        return int(value)
    if isinstance(like, float):
        return float(value)
    return value


def load_settings(path: Path | None = None, environ: dict[str, str] | None = None) -> Settings:
    """Read the TOML file (if it exists), then apply BAOSONG_<SECTION>_<KEY> overrides."""
    environ = os.environ if environ is None else environ
    path = path or Path("baosong.toml")
    data: dict[str, Any] = {}
    source = None
    if path.is_file():
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        source = path.resolve()
    settings = Settings(source=source)
    for section in SECTIONS:
        current = getattr(settings, section)
        given = data.get(section, {})
        known = {f.name for f in fields(current)}
        unknown = set(given) - known
        if unknown:
            raise ValueError(f"配置文件 [{section}] 中有未知的设置项：{', '.join(sorted(unknown))}")
        changes = {key: tuple(value) if isinstance(value, list) else value for key, value in given.items()}
        for key in known:
            env = environ.get(f"BAOSONG_{section.upper()}_{key.upper()}")
            if env is not None:
                changes[key] = _cast(env, getattr(current, key))
        settings = replace(settings, **{section: replace(current, **changes)})
    return settings


def commented_toml(settings: Settings | None = None) -> str:
    """The commented baosong.toml that `baosong init` writes."""
    settings = settings or Settings()
    lines = ["# baosong 配置文件。每一项都可用环境变量 BAOSONG_<节>_<项> 覆盖，如 BAOSONG_MAILBOX_PASSWORD。", ""]
    for section in SECTIONS:
        lines.append(f"[{section}]")
        current = getattr(settings, section)
        for f in fields(current):
            value = getattr(current, f.name)
            lines.append(f"# {f.metadata['comment']}")
            if f.name in {"password", "secret_key"}:
                lines.append(f"# {f.name} = \"\"")
                continue
            if isinstance(value, bool):
                rendered = "true" if value else "false"
            elif isinstance(value, int | float):
                rendered = str(value)
            elif isinstance(value, tuple):
                rendered = "[" + ", ".join(_quoted(str(v)) for v in value) + "]"
            else:
                rendered = _quoted(str(value))
            lines.append(f"{f.name} = {rendered}")
        lines.append("")
    return "\n".join(lines)


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
