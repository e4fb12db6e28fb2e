"""click's own words (usage lines, headings, its errors) reach the clerk in Chinese."""

from __future__ import annotations

from click.testing import CliRunner

from baosong.cli import main


def run(*args: str):
    return CliRunner().invoke(main, list(args), prog_name="baosong")


def test_a_missing_option_is_explained_in_chinese():
    result = run("adopt", "CJHB-2026-00001")
    assert result.exit_code == 2 and "错误：缺少选项 '--outlet'" in result.output
    assert "Usage" not in result.output and "Error" not in result.output and "用法：baosong adopt [选项] ITEM" in result.output


def test_an_unknown_command_is_named_in_chinese():
    result = run("nosuch")
    assert "没有 'nosuch' 这个子命令" in result.output and "运行 'baosong --help' 查看帮助" in result.output


def test_a_bad_choice_lists_the_choices_in_chinese():
    result = run("items", "list", "--verdict", "foo")
    assert "'--verdict' 的值不对：'foo' 不是可选的值" in result.output


def test_an_impossible_date_is_explained_without_a_strftime_format():
    result = run("commission", "add", "昌吉市环保局", "--topic", "秋季大气治理", "--due", "2026-02-30")
    assert "'--due' 的值不对：'2026-02-30' 不是日期，请写成 2026-01-15 这样的年-月-日" in result.output
    assert "%Y" not in result.output


def test_help_has_chinese_headings_and_value_names():
    output = run("--help").output
    assert "选项：" in output and "子命令 [参数]" in output and "显示版本号并退出" in output
    assert "Options" not in output and "Show " not in output and "TEXT" not in run("queue", "settle", "--help").output
