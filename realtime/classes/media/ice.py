"""The STUN/TURN list given to the built-in server and to the browsers of a class.

On a LAN host candidates are enough and the list is empty. Over the Internet a
STUN server lets peers find their public address, and a TURN server (coturn,
see deploy/coturn.md) relays media when a firewall allows nothing direct.
coturn's `use-auth-secret` mode takes short-lived credentials that this server
mints from the shared secret, so no TURN password is stored or handed out for
long: username = "<expiry unix time>:<user>", credential =
base64(HMAC-SHA1(secret, username)).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from collections.abc import Sequence
from typing import Any

TURN_TTL = 6 * 3600  # a class's length with margin; checked by coturn at allocation only


def turn_credentials(
    secret: str, user: str, *, ttl: int = TURN_TTL, now: float | None = None
) -> dict[str, str]:
    """Time-limited TURN credentials for `user` under coturn's static-auth-secret."""
    expiry = int(now if now is not None else time.time()) + ttl
    username = f"{expiry}:{user}"
    digest = hmac.new(secret.encode(), username.encode(), hashlib.sha1).digest()
    return {"username": username, "credential": base64.b64encode(digest).decode("ascii")}


def ice_servers(
    *,
    stun_urls: Sequence[str] = (),
    turn_urls: Sequence[str] = (),
    turn_secret: str = "",
    user: str = "ebilim",
    now: float | None = None,
) -> list[dict[str, Any]]:
    """Browser-style iceServers entries: STUN as is, TURN with credentials minted for `user`.

    The same list configures the built-in server's RTCPeerConnection
    (builtin.rtc_configuration) and goes to the page in JoinInfo.ice_servers.
    TURN URLs without a secret are left out: coturn would refuse them anyway.
    """
    servers: list[dict[str, Any]] = []
    if stun_urls:
        servers.append({"urls": list(stun_urls)})
    if turn_urls and turn_secret:
        servers.append({"urls": list(turn_urls), **turn_credentials(turn_secret, user, now=now)})
    return servers
