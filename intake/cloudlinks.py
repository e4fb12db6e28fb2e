"""Find "large attachment" (超大附件) and cloud-drive download links in mail bodies.

A unit that sends its document or photos as such a link has not attached them: the link
expires and cannot be checked. Extend CLOUD_LINK_PATTERNS when a provider changes its URLs.
"""

from __future__ import annotations

import html
import re

# Host and path prefix of each provider's download/share pages (scheme optional).
CLOUD_LINK_PATTERNS: tuple[str, ...] = (
    # QQ mail 超大附件 (ftn = file transfer node)
    r"(?:[\w-]+\.)*mail\.qq\.com/(?:cgi-bin/ftn\w*|ftn/)",
    r"(?:[\w-]+\.)*exmail\.qq\.com/cgi-bin/ftn\w*",
    r"(?:[\w-]+\.)*ftn\.qq\.com/",
    # NetEase 163 / 126 / yeah
    r"mail\.(?:163|126)\.com/[^\s\"'<>]*large[-_]?attach",
    r"(?:[\w-]+\.)*mail\.(?:163|126)\.com/[^\s\"'<>]*(?:largeattach|bigattach)",
    r"fs\.163\.com/",
    r"u\.163\.com/",
    r"dashi\.163\.com/share",
    # Sina
    r"(?:[\w-]+\.)*mail\.sina\.com\.cn/[^\s\"'<>]*filecenter",
    # Aliyun / Alimail
    r"(?:[\w-]+\.)*(?:mail\.aliyun\.com|alimail\.com)/[^\s\"'<>]*(?:bigattach|largeattach|download)",
    r"(?:www\.)?(?:aliyundrive\.com|alipan\.com)/s/",
    # China Mobile 139 mail and its cloud drive
    r"(?:[\w-]+\.)*mail\.10086\.cn/[^\s\"'<>]*(?:disk|largeattach|download)",
    r"(?:[\w-]+\.)*(?:caiyun|yun)\.139\.com/",
    # Microsoft
    r"1drv\.ms/",
    r"(?:[\w-]+\.)*onedrive\.live\.com/",
    r"[\w-]+\.sharepoint\.com/",
    # Baidu, Tencent Weiyun, Quark
    r"(?:pan|yun)\.baidu\.com/",
    r"share\.weiyun\.com/",
    r"pan\.quark\.cn/s/",
)
# Bodies are scanned up to this many characters: links sit near the top, and this bounds the work.
MAX_SCANNED_CHARS = 1_000_000
MAX_LINK_CHARS = 2_000

# Anything shaped like host/path, starting where no other host character precedes it (so the
# scan is linear); each is then matched against the providers. ASCII only: Chinese text around
# a link must neither join it nor make the search backtrack. The path: printable ASCII but quotes,
# angle brackets, parentheses and square brackets (what encloses links in text and HTML).
_CANDIDATE = re.compile(r"(?<![A-Za-z0-9.-])(?:https?://)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/[!#-&*-;=?-Z\\^-~]*")
_SCHEME = re.compile(r"^https?://", re.IGNORECASE)
_PROVIDER = re.compile("|".join(CLOUD_LINK_PATTERNS), re.IGNORECASE)


def find_cloud_links(*bodies: str) -> list[str]:
    """Distinct links in order of appearance; HTML entities (&amp;) are unescaped."""
    found: dict[str, None] = {}
    for body in bodies:
        for match in _CANDIDATE.finditer(body[:MAX_SCANNED_CHARS]):
            link = match.group(0)[:MAX_LINK_CHARS]
            if _PROVIDER.match(_SCHEME.sub("", link)):
                found.setdefault(html.unescape(link).rstrip(".,;，。；"), None)
    return list(found)
