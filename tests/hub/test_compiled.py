"""Querysets compiled once and run with each call's values (hub/compiled.py).

What is compared: the row Compiled gives against the row the same queryset gives through
the ORM, JSON and an aware date included, for several values from one compilation.
"""

from datetime import UTC, datetime

import pytest

from hub.audit.models import AuditEntry
from hub.compiled import Compiled

pytestmark = pytest.mark.django_db


def _entries(count: int) -> list[AuditEntry]:
    return [
        AuditEntry.objects.create(
            action=f"save_{i}",
            object_type="testing.answer",
            object_id=str(100 + i),
            object_repr=f"Жооп {i}: ң ө ү",
            changes={"version": [i, i + 1], "тема": "Күн"},
            at=datetime(2026, 11, 29, 8, i, tzinfo=UTC),
        )
        for i in range(count)
    ]


def _by_pk(entry_id: int):
    return AuditEntry.objects.filter(pk=entry_id).values_list(
        "action", "at", "changes", "object_repr"
    )


def test_each_call_gives_the_row_the_queryset_gives(django_assert_num_queries):
    entries = _entries(3)
    compiled = Compiled(_by_pk)

    rows = [compiled.first(entry_id=e.pk) for e in entries]

    assert rows == [_by_pk(e.pk).first() for e in entries]
    assert rows[2] == ("save_2", entries[2].at, {"version": [2, 3], "тема": "Күн"}, "Жооп 2: ң ө ү")
    assert rows[2][1].tzinfo is not None
    # Compiled once: each later call is its one statement and no ORM building.
    with django_assert_num_queries(1):
        assert compiled.first(entry_id=entries[0].pk) == rows[0]


def test_no_row_is_none():
    assert Compiled(_by_pk).first(entry_id=987654321) is None


def test_two_values_each_in_its_own_place():
    entries = _entries(2)

    def of_actor_and_entry(entry_id: int, actor_id: int):
        return (
            AuditEntry.objects.filter(pk=entry_id).exclude(actor_id=actor_id).values_list("action")
        )

    compiled = Compiled(of_actor_and_entry)

    assert compiled.first(entry_id=entries[1].pk, actor_id=entries[0].pk) == ("save_1",)
    assert compiled.first(actor_id=entries[0].pk, entry_id=entries[0].pk) == ("save_0",)


def test_a_call_with_other_values_than_the_builds_is_refused():
    compiled = Compiled(_by_pk)

    with pytest.raises(TypeError, match="takes entry_id"):
        compiled.first(pk=1)


def test_a_value_the_sql_does_not_carry_is_refused_at_compilation():
    def ignoring(entry_id: int):
        return AuditEntry.objects.filter(pk=1).values_list("action")

    with pytest.raises(ValueError, match="entry_id not in its SQL"):
        Compiled(ignoring).first(entry_id=1)
