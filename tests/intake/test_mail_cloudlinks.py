"""Large-attachment (超大附件) and cloud-drive links are found in text and HTML bodies."""

from __future__ import annotations

import time

import pytest

from intake.cloudlinks import find_cloud_links
from intake.mailparse import parse_mail
from tests.factories.mail import build_mail

LINKS = [
    "https://mail.qq.com/cgi-bin/ftnExs_download?k=abc&t=exs_ftn_download",
    "https://wx.mail.qq.com/ftn/download?func=3&key=abc",
    "https://iwx.mail.qq.com/ftn/download?key=abc",
    "https://mail.163.com/large-attachment-download/index.html?p=abc&file=def",
    "https://fs.163.com/fs/display/?p=abc",
    "http://u.163.com/abcdef",
    "https://dashi.163.com/share/abc",
    "https://mail.126.com/large-attachment-download/index.html?p=abc",
    "https://mail.sina.com.cn/filecenter/download.php?id=1",
    "https://mail.aliyun.com/alimail/bigattach/download?id=1",
    "https://caiyun.139.com/m/i?abc",
    "https://1drv.ms/u/s!AbCdEf",
    "https://onedrive.live.com/?cid=abc&id=def",
    "https://unit-my.sharepoint.com/:w:/g/personal/abc",
    "https://pan.baidu.com/s/1AbCdEf",
]


@pytest.mark.parametrize("link", LINKS)
def test_provider_link_in_text_body(link):
    assert parse_mail(build_mail(body=f"信息和照片太大，请从超大附件下载：{link} 谢谢")).cloud_links == [link]


def test_link_in_html_href_is_unescaped():
    html = '<a href="https://mail.qq.com/cgi-bin/ftnExs_download?k=1&amp;t=2">下载</a>'
    assert parse_mail(build_mail(html=html)).cloud_links == ["https://mail.qq.com/cgi-bin/ftnExs_download?k=1&t=2"]


def test_link_without_scheme_after_chinese_text():
    assert find_cloud_links("请下载pan.baidu.com/s/1abc。") == ["pan.baidu.com/s/1abc"]


def test_ordinary_links_are_not_cloud_links():
    assert find_cloud_links("见 https://www.gov.cn/zhengce/ 与 https://mail.qq.com/") == []


def test_same_link_twice_is_listed_once():
    assert find_cloud_links(f"{LINKS[0]} {LINKS[0]}", LINKS[0]) == [LINKS[0]]


@pytest.mark.timeout(10)
@pytest.mark.parametrize("body", ["长" * 1_000_000, "a" * 1_000_000, "a." * 500_000], ids=["chinese", "ascii", "dots"])
def test_long_bodies_are_scanned_in_linear_time(body):
    started = time.perf_counter()
    find_cloud_links(body)
    assert time.perf_counter() - started < 1
