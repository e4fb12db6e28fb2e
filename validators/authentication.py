"""Is the registered address in From really the sender? The receiving server's verdict decides.

A forged From of a registered unit would file accepted, counted items in its name, and could file
an item first so the unit's real one is rejected as DUPLICATE. Where the office trusts its server's
Authentication-Results (intake.authresults), such mail is held for a clerk instead: not accepted,
so not indexed for 首报 until a clerk accepts it.
"""

from __future__ import annotations

from collections.abc import Iterator

from intake.authresults import doubts, trusted
from validators.case import Case, Hit


def sender_not_authenticated(case: Case) -> Iterator[Hit]:
    mail = case.mail
    if mail is None or not case.trusted_authserv or case.unit is None or mail.sender not in case.unit.emails:
        return
    headers = trusted(mail.authentication_results, case.trusted_authserv)
    doubtful = [(header, found) for header in headers if (found := doubts(header, mail.sender))]
    if doubtful:
        results = "，".join(str(result) for _, found in doubtful for result in found)
        yield Hit(
            params={"sender": mail.sender, "results": results},
            evidence={"sender": mail.sender, "authserv_id": doubtful[0][0].authserv_id, "results": results},
        )
