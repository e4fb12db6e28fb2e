"""`baosong demo --no-serve`: the embedded default runs start to finish on loopback."""

import re
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.timeout(300)
def test_demo_no_serve_processes_every_sample_as_expected(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "baosong.cli", "demo", "--no-serve"],
        capture_output=True, text=True, timeout=280, cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "200", "HOME": str(tmp_path)},
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "示例邮件处理结果" in result.stdout
    vague = next(line for line in result.stdout.splitlines() if "我局" in line and "近日" in line)
    assert "退回" in vague and "表述不具体" in vague and "@example.cn" in vague  # sender and reasons shown, in Chinese
    assert "预期" not in result.stdout
    replies = re.search(r"已发出自动回复 (\d+) 封，保存在：(\S+)", result.stdout)
    assert replies and int(replies.group(1)) >= 15
    assert len(list(Path(replies.group(2)).glob("*.eml"))) == int(replies.group(1))
    reports = re.findall(r"本月通报：(\S+\.docx)", result.stdout)
    assert reports and Path(reports[0]).is_file()
