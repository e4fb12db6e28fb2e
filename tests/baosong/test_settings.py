"""Settings: TOML file, BAOSONG_<SECTION>_<KEY> overrides, and the commented file `init` writes."""

import tomllib

import pytest
from click.testing import CliRunner

from baosong.cli import main
from baosong.settings import commented_toml, load_settings


def test_defaults_follow_the_spec(tmp_path):
    settings = load_settings(tmp_path / "absent.toml", environ={})
    assert (settings.mailbox.port, settings.mailbox.ssl, settings.mailbox.folder) == (993, True, "INBOX")
    assert (settings.smtp.port, settings.smtp.ssl, settings.smtp.starttls) == (465, True, False)
    assert (settings.web.host, settings.web.port) == ("127.0.0.1", 8000)
    assert settings.database_url.endswith("/data/baosong.db")


def test_environment_overrides_the_file(tmp_path):
    path = tmp_path / "baosong.toml"
    path.write_text('[mailbox]\nhost = "imap.163.com"\nport = 993\n[smtp]\nuser = "xx@163.com"\n', encoding="utf-8")
    environ = {"BAOSONG_MAILBOX_PORT": "143", "BAOSONG_MAILBOX_SSL": "false", "BAOSONG_MAILBOX_PASSWORD": "授权码"}
    settings = load_settings(path, environ=environ)
    assert (settings.mailbox.host, settings.mailbox.port, settings.mailbox.ssl) == ("imap.163.com", 143, False)
    assert settings.mailbox.password == "授权码"
    assert settings.smtp_sender == "xx@163.com"


def test_unknown_key_is_refused(tmp_path):
    path = tmp_path / "baosong.toml"
    path.write_text("[mailbox]\nhots = 1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="hots"):
        load_settings(path, environ={})


def test_commented_file_parses_and_holds_no_secret():
    text = commented_toml()
    data = tomllib.loads(text)
    assert "password" not in data["mailbox"] and "password" not in data["smtp"]
    assert data["rules"]["organisation"] == "A"


def test_init_writes_the_file_and_creates_the_database_with_the_sample_registry(tmp_path):
    config = tmp_path / "baosong.toml"
    result = CliRunner().invoke(main, ["--config", str(config), "init"], env={"BAOSONG_PATHS_DATA": str(tmp_path / "d")})
    assert result.exit_code == 0, result.output
    assert config.is_file() and (tmp_path / "d" / "baosong.db").is_file()
    assert "单位名录：21 个单位" in result.output


def test_init_warns_when_the_sender_is_not_the_smtp_login_account(tmp_path):
    env = {"BAOSONG_PATHS_DATA": str(tmp_path / "d"), "BAOSONG_SMTP_USER": "cjhbxx@sina.com",
           "BAOSONG_SMTP_SENDER": "xinxike@example.cn"}
    result = CliRunner().invoke(main, ["--config", str(tmp_path / "baosong.toml"), "init"], env=env)
    assert result.exit_code == 0, result.output
    assert "[smtp] sender（xinxike@example.cn）与发信登录账号（cjhbxx@sina.com）不同" in result.output
