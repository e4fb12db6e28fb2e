"""`baosong check`: JSON lines with the SPEC §6 keys, a readable Chinese report, an exit code that tells."""

import io
import json
from datetime import date

import docx
from click.testing import CliRunner

from baosong.cli import main
from baosong.demo.samples import Item, document, mail, photo
from tests.factories.docx import docx_bytes, make_png

SPEC_KEYS = {"source", "message_id", "verdict", "unit", "receipt", "findings", "fields", "photos"}


def _write(tmp_path, name, raw):  # noqa: ANN001
    path = tmp_path / name
    path.write_bytes(raw)
    return path


def _item(**changes):  # noqa: ANN003
    base = dict(unit="奇台县环境保护局", title="奇台县环境保护局开展秋季大气污染防治专项检查",
                paragraphs=["11月18日，奇台县环境保护局组织执法人员对12家企业开展专项检查。"])
    return Item(**{**base, **changes})


def _run(tmp_path, *args):  # noqa: ANN001, ANN002
    env = {"BAOSONG_PATHS_DATA": str(tmp_path / "data")}
    return CliRunner().invoke(main, ["--config", str(tmp_path / "none.toml"), "check", *map(str, args)], env=env)


def test_check_json_prints_one_valid_line_per_message_with_spec_keys(tmp_path):
    good = _write(tmp_path, "good.eml", mail("qitai@example.cn", "信息", date(2026, 11, 20),
                  docs=[("奇台县环境保护局开展秋季大气污染防治专项检查.docx", document(_item()))],
                  photos=[("检查现场.jpg", photo(1))]))
    bad = _write(tmp_path, "bad.eml", mail("qitai@example.cn", "信息", date(2026, 11, 20),
                 docs=[("奇台县环境保护局开展秋季大气污染防治专项检查.docx", document(_item(author=None)))]))
    result = _run(tmp_path, "--json", good, bad)
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [set(line) for line in lines] == [SPEC_KEYS, SPEC_KEYS]
    assert [line["verdict"] for line in lines] == ["accepted", "rejected"]
    assert lines[0]["photos"][0]["bytes"] > 1_048_576
    assert set(lines[0]["fields"]) == {"title", "reviewer", "author", "phone"}
    finding = lines[1]["findings"][0]
    assert finding["code"] == "MISSING_AUTHOR" and finding["severity"] == "error" and finding["message"]
    assert result.exit_code == 1


def test_check_exit_code_is_zero_when_nothing_is_rejected(tmp_path):
    good = _write(tmp_path, "奇台县环境保护局开展秋季大气污染防治专项检查.docx", document(_item()))
    result = _run(tmp_path, good)
    assert result.exit_code == 0, result.output
    assert "结论：通过" in result.output and "未发现问题" in result.output


def test_check_on_garbage_bytes_still_gives_a_verdict(tmp_path):
    junk = _write(tmp_path, "junk.eml", bytes(range(256)) * 100)
    result = _run(tmp_path, "--json", junk)
    assert json.loads(result.output)["verdict"] in {"ignored", "rejected"}


def test_check_records_nothing(tmp_path):
    path = _write(tmp_path, "奇台县环境保护局开展秋季大气污染防治专项检查.docx", document(_item()))
    _run(tmp_path, path)
    assert not (tmp_path / "data" / "baosong.db").exists()


def test_check_reads_authentication_results_of_the_configured_server(tmp_path):
    raw = mail("qitai@example.cn", "信息", date(2026, 11, 20),
               docs=[("奇台县环境保护局开展秋季大气污染防治专项检查.docx", document(_item()))])
    forged = b"Authentication-Results: mx.qq.com; spf=pass smtp.mailfrom=evil.example; dmarc=fail header.from=example.cn\r\n"
    path = _write(tmp_path, "forged.eml", forged + raw)
    env = {"BAOSONG_PATHS_DATA": str(tmp_path / "data"), "BAOSONG_MAILBOX_AUTHSERV_ID": "mx.qq.com"}
    result = CliRunner().invoke(main, ["--config", str(tmp_path / "none.toml"), "check", "--json", str(path)], env=env)
    assert "SENDER_NOT_AUTHENTICATED" in [f["code"] for f in json.loads(result.output)["findings"]]


def test_check_never_says_registered(tmp_path):
    good = _write(tmp_path, "奇台县环境保护局开展秋季大气污染防治专项检查.docx", document(_item()))
    assert "已登记" not in _run(tmp_path, good).output


def test_check_names_problems_in_chinese_without_internal_codes(tmp_path):
    bad = _write(tmp_path, "奇台县环境保护局开展秋季大气污染防治专项检查.docx", document(_item(author=None)))
    output = _run(tmp_path, bad).output
    assert "缺少撰稿人" in output and "MISSING_AUTHOR" not in output and "依据" not in output


def test_check_verbose_shows_the_codes(tmp_path):
    bad = _write(tmp_path, "奇台县环境保护局开展秋季大气污染防治专项检查.docx", document(_item(author=None)))
    assert "MISSING_AUTHOR" in _run(tmp_path, "--verbose", bad).output


def test_check_names_the_sign_off_fields_as_the_organisation_does(tmp_path, monkeypatch):  # noqa: ANN001
    monkeypatch.setenv("BAOSONG_RULES_ORGANISATION", "C")
    path = _write(tmp_path, "item.eml", mail("qitai@example.cn", "信息", date(2026, 11, 20),
                  docs=[("奇台县环境保护局开展秋季大气污染防治专项检查.docx", document(_item()))]))

    output = _run(tmp_path, str(path)).output

    assert "审签人：" in output and "联系方式：" in output and "审核领导：" not in output


def test_check_names_a_missing_sign_off_field_as_the_organisation_does(tmp_path, monkeypatch):  # noqa: ANN001
    monkeypatch.setenv("BAOSONG_RULES_ORGANISATION", "D")
    item = _item(unit="县自然资源局办公室", title="县自然资源局办公室开展冬季森林防火检查", reviewer=None)
    path = _write(tmp_path, "item.eml", mail("zr-bgs@example.cn", "信息", date(2026, 11, 20),
                  docs=[("县自然资源局办公室开展冬季森林防火检查.docx", document(item))]))

    output = _run(tmp_path, str(path)).output

    assert "缺少分管领导审核签字" in output and "审核领导" not in output


def test_check_lists_only_the_sign_off_fields_the_organisation_asks_for(tmp_path, monkeypatch):  # noqa: ANN001
    monkeypatch.setenv("BAOSONG_RULES_ORGANISATION", "D")
    item = _item(unit="县自然资源局办公室", title="县自然资源局办公室开展冬季森林防火检查", author=None, phone=None)
    path = _write(tmp_path, "item.eml", mail("zr-bgs@example.cn", "信息", date(2026, 11, 20),
                  docs=[("县自然资源局办公室开展冬季森林防火检查.docx", document(item))]))

    output = _run(tmp_path, str(path)).output

    assert "分管领导审核签字：" in output and "撰稿人" not in output and "手机号" not in output


def test_check_takes_a_signature_picture_after_the_reviewer_label_as_signed(tmp_path, monkeypatch):  # noqa: ANN001
    monkeypatch.setenv("BAOSONG_RULES_ORGANISATION", "D")
    page = docx.Document()
    page.add_paragraph("县自然资源局办公室开展冬季森林防火检查")
    page.add_paragraph("11月18日，县自然资源局办公室对全县3处林区开展冬季森林防火检查。")
    page.add_paragraph("分管领导审核签字：").add_run().add_picture(io.BytesIO(make_png(120, 40)))
    path = _write(tmp_path, "item.eml", mail("zr-bgs@example.cn", "信息", date(2026, 11, 20),
                  docs=[("县自然资源局办公室开展冬季森林防火检查.docx", docx_bytes(page))]))

    output = _run(tmp_path, str(path)).output

    assert "分管领导审核签字：（签名图片）" in output and "缺少" not in output


def test_check_refuses_a_docx_larger_than_a_whole_message_may_be(tmp_path):
    path = tmp_path / "奇台县环境保护局开展秋季大气污染防治专项检查.docx"
    with path.open("wb") as sparse:
        sparse.truncate(150 * 1024 * 1024)  # over the default 100 MB limit; sparse, so no disk used
    result = _run(tmp_path, "--json", "--no-duplicates", path)
    finding = json.loads(result.output)["findings"][0]
    assert result.exit_code == 1 and finding["code"] == "CORRUPT_DOCX"
    assert finding["evidence"]["reason"] == "file_too_large" and finding["evidence"]["bytes"] == 157_286_400
    assert "文件大小 150.0 MB 超过一封邮件的大小上限 100.0 MB" in finding["message"]
