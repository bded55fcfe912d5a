"""The curator's live view: the curator's own list, and group A for those who read it."""

from __future__ import annotations

from tests.policy import GROUP_A_READERS, SIGNED_IN, Policy

POLICY = {
    "curator-groups": SIGNED_IN,
    "curator-group": Policy(GROUP_A_READERS, kwargs="group_a"),
    "curator-group-online": Policy(GROUP_A_READERS, kwargs="group_a"),
}
