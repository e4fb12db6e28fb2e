"""Opening an IMAP session the way real providers require.

After LOGIN and before anything selects a folder, the client identifies itself with ID (RFC 2971)
whenever the server announces it: NetEase (126/163/yeah.net) answers SELECT and EXAMINE with
`NO SELECT Unsafe Login` until a client has. A server without ID is not sent one.

Over SSL the server's certificate is verified (imaplib alone would not verify it), so the mailbox
password only ever goes to the host named in the settings.
"""

from __future__ import annotations

import imaplib
import logging
import ssl
from importlib.metadata import version

from imap_tools import MailBox, MailBoxUnencrypted
from imap_tools.mailbox import BaseMailBox

from baosong.settings import MailboxSettings

log = logging.getLogger(__name__)

imaplib.Commands.setdefault("ID", ("NONAUTH", "AUTH", "SELECTED"))


def client_id() -> str:
    """The ID parameter list: field/value pairs as quoted strings."""
    fields = {"name": "baosong", "version": version("baosong"), "vendor": "baosong"}
    return "(" + " ".join(f'"{key}" "{value}"' for key, value in fields.items()) + ")"


def capabilities(client: imaplib.IMAP4) -> set[str]:
    """What the server announces now (after LOGIN it may announce more than in its greeting)."""
    status, data = client.capability()
    if status != "OK" or not data or not data[0]:
        return set()
    return {word.upper() for word in data[0].decode("ascii", "replace").split()}


def identify(client: imaplib.IMAP4) -> bool:
    """Send ID when the server announces it; True when it did. A refused ID is logged, not fatal."""
    if "ID" not in capabilities(client):
        return False
    status, data = client._simple_command("ID", client_id())  # noqa: SLF001 - imaplib has no public ID
    client.untagged_responses.pop("ID", None)
    if status != "OK":
        log.warning("the IMAP server refused ID: %r", data)
    return status == "OK"


def connect(settings: MailboxSettings) -> BaseMailBox:
    """Connected, logged in and identified; no folder selected yet."""
    if settings.ssl:
        box = MailBox(settings.host, settings.port, timeout=settings.timeout_seconds, ssl_context=ssl.create_default_context())
    else:
        box = MailBoxUnencrypted(settings.host, settings.port, timeout=settings.timeout_seconds)
    try:
        box.login(settings.user, settings.password, initial_folder=None)
        identify(box.client)
    except BaseException:
        disconnect(box)
        raise
    return box


def disconnect(box: BaseMailBox | None) -> None:
    """Log out, or drop the connection when the server is no longer there to answer."""
    if box is None:
        return
    try:
        box.logout()
    except Exception:  # noqa: BLE001 - the connection may already be gone; nothing to save
        try:
            box.client.shutdown()
        except Exception:  # noqa: BLE001
            pass
