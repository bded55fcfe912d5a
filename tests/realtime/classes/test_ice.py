"""STUN/TURN configuration: coturn's time-limited credentials (use-auth-secret)."""

from __future__ import annotations

import base64
import hashlib
import hmac

from realtime.classes.media.builtin import rtc_configuration
from realtime.classes.media.ice import ice_servers, turn_credentials


def test_turn_credentials_follow_coturns_rest_scheme():
    creds = turn_credentials("north", "u7", ttl=100, now=1_700_000_000)
    assert creds["username"] == "1700000100:u7"
    expected = hmac.new(b"north", b"1700000100:u7", hashlib.sha1).digest()
    assert base64.b64decode(creds["credential"]) == expected


def test_the_ice_list_has_stun_and_turn_with_credentials():
    servers = ice_servers(
        stun_urls=["stun:turn.example.kg:3478"],
        turn_urls=[
            "turn:turn.example.kg:3478?transport=udp",
            "turns:turn.example.kg:5349?transport=tcp",
        ],
        turn_secret="north",
        user="u7",
        now=0,
    )
    assert servers[0] == {"urls": ["stun:turn.example.kg:3478"]}
    assert servers[1]["urls"][1].startswith("turns:")
    assert servers[1]["username"].endswith(":u7")
    config = rtc_configuration(servers)
    assert config.iceServers[1].credential == servers[1]["credential"]


def test_a_lan_needs_no_ice_servers_and_turn_needs_its_secret():
    assert ice_servers() == []
    assert ice_servers(turn_urls=["turn:t:3478"]) == []
