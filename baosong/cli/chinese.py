"""click's own words in Chinese: usage lines, help headings and the errors it raises itself.

click marks every sentence it prints with gettext (`_()` and `ngettext()` looked up in its
modules at call time); `install()` points those at the table below, so a clerk reads
“用法：baosong adopt …” and “错误：缺少选项 '--outlet'。” instead of English. A sentence the table
does not know is shown as click wrote it.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Sequence

import click

# click 8.x message ids → Chinese (the {placeholders} are click's)
MESSAGES = {
    "Usage:": "用法：",
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "参数",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本号并退出。",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行 '{command} {option}' 查看帮助。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing command.": "缺少子命令。",
    "Missing {param_type}": "缺少{param_type}",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "argument": "参数",
    "option": "选项",
    "parameter": "参数",
    "No such command {name!r}.": "没有 {name!r} 这个子命令。",
    "No such option {name!r}.": "没有 {name!r} 这个选项。",
    "Did you mean {possibility}?": "是不是想用 {possibility}？",
    "(Did you mean one of: {possibilities}?)": "（是不是想用其中之一：{possibilities}？）",
    "Option {name!r} does not take a value.": "选项 {name!r} 后面不带值。",
    "Option {name!r} requires an argument.": "选项 {name!r} 后面需要一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 后面需要 {nargs} 个值。",
    "Argument {name!r} takes {nargs} values.": "参数 {name!r} 需要 {nargs} 个值。",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值不对：{message}",
    "Invalid value: {message}": "值不对：{message}",
    "{value!r} is not {choice}.": "{value!r} 不是可选的值，只能是 {choice}。",
    "{value!r} is not one of {choices}.": "{value!r} 不是可选的值，可选：{choices}。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的数字。",
    # every date option is YYYY-MM-DD: an example, not click's strftime format
    "{value!r} does not match the format {format}.": "{value!r} 不是日期，请写成 2026-01-15 这样的年-月-日。",
    "{value!r} does not match the formats {formats}.": "{value!r} 不是日期，请写成 2026-01-15 这样的年-月-日。",
    "{value} is not in the range {range}.": "{value} 不在 {range} 范围内。",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是文件夹，不是文件。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件，不是文件夹。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 无法读取。",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}：{message}",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "Aborted!": "已取消。",
    "Repeat for confirmation": "再输入一次确认",
    "Error: The two entered values do not match.": "错误：两次输入的不一致。",
    "Error: invalid input": "错误：输入无效",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "required": "必填",
}
_MODULES = ("core", "exceptions", "formatting", "parser", "types", "decorators", "termui", "utils")


def gettext(message: str) -> str:
    return MESSAGES.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return gettext(singular if n == 1 else plural)


USAGE_WORDS = {"[OPTIONS]": "[选项]", "COMMAND [ARGS]...": "子命令 [参数]…", "[ARGS]...": "[参数]…"}
METAVARS = {"TEXT": "文本", "INTEGER": "整数", "FLOAT": "数字", "PATH": "路径", "FILENAME": "文件", "FILE": "文件"}
_METAVAR = re.compile(r"\b(" + "|".join(METAVARS) + r")\b")


class ChineseHelpFormatter(click.HelpFormatter):
    """Usage lines, headings and value names (TEXT, INTEGER…) in Chinese."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        for english, chinese in USAGE_WORDS.items():
            args = args.replace(english, chinese)
        super().write_usage(prog, args, "用法：" if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")

    def write_dl(self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        super().write_dl(_chinese_terms(rows), col_max, col_spacing)


def _chinese_terms(rows: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(_METAVAR.sub(lambda m: METAVARS[m.group(1)], term), text) for term, text in rows]


def install() -> None:
    """Make click speak Chinese for the whole process (the `baosong` command only ever speaks to clerks)."""
    click.Context.formatter_class = ChineseHelpFormatter
    for name in _MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext
