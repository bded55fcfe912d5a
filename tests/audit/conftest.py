from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from hub.audit.models import AuditEntry


def bishkek(day: int, hour: int = 12) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2026, 10, day, hour, 0))


@pytest.fixture
def cast(cast):
    """The cast, minus the entries its set-up wrote (roles assigned, a parent linked).

    Each test here counts the entries it causes. The model refuses deletes and
    PostgreSQL's trigger refuses DELETE, but not TRUNCATE; the test's
    transaction brings the rows back afterwards anyway.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The rows' deferred foreign-key checks must run before TRUNCATE.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("TRUNCATE audit_auditentry")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            cursor.execute("DELETE FROM audit_auditentry")
    return cast


@pytest.fixture
def make_entry(db):
    """Store an entry as hub.audit.log would, with any field given."""

    def make(**fields) -> AuditEntry:
        actor = fields.get("actor")
        defaults = {
            "action": "user_profile_update",
            "object_type": "accounts.user",
            "object_id": "1",
            "object_repr": "Асанов Бакыт",
            "actor_repr": f"{actor.get_full_name()} ({actor.username})" if actor else "",
            "changes": {"phone": ["", "+996555123456"]},
        }
        return AuditEntry.objects.create(**{**defaults, **fields})

    return make
