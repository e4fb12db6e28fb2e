"""The receiving server's verdict on who sent a mail: Authentication-Results (RFC 8601).

Anyone can write an Authentication-Results header into the mail they send, so a header counts only
when its authserv-id is one the office configured (`[mailbox] authserv_id`). Where such a header
sits cannot be relied on: QQ and exmail put theirs at the top, NetEase's Coremail appends its own
below the sender's headers. So every header that claims a trusted id is read on its own, and the
From address counts as verified only if each of them vouches for it: a forged "pass" can make a
mail look worse, never better.

What providers write (authserv-id first):
    QQ mail (seen near the top, below QQ's Received and X-QQ-* headers):
        Authentication-Results: mx.qq.com; spf=none smtp.mailfrom=…; dkim=none; dmarc=none(permerror) header.from=…
    NetEase 126/163 (Coremail; seen below the sender's own headers, beside X-CM-TRANSID):
        Authentication-Results: mx19; spf=pass smtp.mail=…; dkim=pass header.i=@…
        (the MX host's short name, which varies from host to host, so configure `mx*`; no DMARC result)
    Gmail: Authentication-Results: mx.google.com; dkim=…; spf=… smtp.mailfrom=…; dmarc=… header.from=…
Tencent exmail and Sina were not observed: the administrator reads the id off a received mail's source.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

_FAILING = {"spf": {"fail", "softfail", "permerror"}, "dkim": {"fail", "permerror"}, "dmarc": {"fail"}}
_IDENTITY = {"spf": ("smtp.mailfrom", "smtp.mail"), "dkim": ("header.d", "header.i"), "dmarc": ("header.from",)}
_EQUALS = re.compile(r"\s*=\s*")


@dataclass(frozen=True)
class MethodResult:
    method: str  # spf | dkim | dmarc | … (lower-case)
    result: str  # pass | fail | softfail | none | …
    properties: dict[str, str] = field(default_factory=dict)  # "smtp.mailfrom" → value

    def domain(self) -> str:
        """The domain this result is about (the envelope sender's, the signer's, the From's)."""
        value = next((self.properties[k] for k in _IDENTITY.get(self.method, ()) if self.properties.get(k)), "")
        return value.rpartition("@")[2].strip().strip("<>").lower()

    def __str__(self) -> str:
        domain = self.domain()
        return f"{self.method}={self.result}" + (f"（{domain}）" if domain else "")


@dataclass(frozen=True)
class AuthResults:
    authserv_id: str
    results: tuple[MethodResult, ...]


def trusted_ids(setting: str) -> tuple[str, ...]:
    """`[mailbox] authserv_id`: ids separated by commas or spaces, `*` matching any text (mx*)."""
    return tuple(part.lower() for part in re.split(r"[,\s，]+", setting) if part)


def parse_header(value: str) -> AuthResults | None:
    """One header value; None when it names no authserv-id (Outlook writes none)."""
    text = _without_comments(" ".join(value.split()))
    head, _, rest = text.partition(";")
    words = head.split()
    if not words or "=" in words[0]:
        return None
    results = [result for clause in rest.split(";") if (result := _method_result(clause)) is not None]
    return AuthResults(words[0].lower(), tuple(results))


def _method_result(clause: str) -> MethodResult | None:
    """`method=result ptype.property=value …`. NetEase folds at a fixed width, even inside an address
    (`smtp.mail=0101…-a63b` / `8f9e…@amazonses.com`): a word without `=` continues the value before it."""
    words = _EQUALS.sub("=", clause).split()
    if not words or "=" not in words[0]:
        return None
    method, _, result = words[0].partition("=")
    properties: dict[str, str] = {}
    current = None
    for word in words[1:]:
        name, equals, value = word.partition("=")
        if equals:
            current = name.lower() if "." in name else None
            if current:
                properties[current] = value
        elif current:
            properties[current] += word
    return MethodResult(method.split("/")[0].lower(), result.lower(), properties)


def _without_comments(text: str) -> str:
    """RFC 5322 comments (nested parentheses) removed: `dmarc=none(permerror)` → `dmarc=none`."""
    out, depth = [], 0
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
        elif not depth:
            out.append(ch)
    return "".join(out)


def trusted(headers: Iterable[str], ids: tuple[str, ...]) -> list[AuthResults]:
    parsed = (parse_header(value) for value in headers)
    return [r for r in parsed if r is not None and any(fnmatchcase(r.authserv_id, pattern) for pattern in ids)]


def _aligned(domain: str, sender_domain: str) -> bool:
    """Relaxed alignment: the same domain, or one a subdomain of the other."""
    if not domain or not sender_domain:
        return False
    return domain == sender_domain or domain.endswith("." + sender_domain) or sender_domain.endswith("." + domain)


def doubts(header: AuthResults, sender: str) -> list[MethodResult]:
    """Why this header does not vouch for `sender`: its failures, or passes for other domains only.
    Empty when it vouches (DMARC pass, or an SPF/DKIM pass aligned with the From domain) or when
    it says nothing either way (none, neutral, temperror: the domain publishes nothing)."""
    domain = sender.rpartition("@")[2].lower()
    relevant = [r for r in header.results if r.method in _FAILING]
    passes = [r for r in relevant if r.result == "pass"]
    if any(_aligned(r.domain() or (domain if r.method == "dmarc" else ""), domain) for r in passes):
        return []
    return [r for r in relevant if r.result in _FAILING[r.method]] + passes
