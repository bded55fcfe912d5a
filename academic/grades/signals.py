"""Receivers of grades: exam sheets follow the records (GB-4).

When an order is signed, the open sheets of the running terms of the groups
it involves are synchronised after commit: who left gets `left_on` = the end
of their period in the group (the order's effective date), who joined gets
`joined_on` = its start. Orders effective later change nothing today: the
nightly task catches them on their day.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone


def _after_order_signed(sender, groups: list[int], effective_date: date, **kwargs) -> None:
    if effective_date > timezone.localdate() or not groups:
        return

    def sync() -> None:
        from academic.grades.actions.sheets import sheets_sync_groups

        sheets_sync_groups(group_ids=groups)

    transaction.on_commit(sync)


def connect() -> None:
    from academic.records.signals import order_signed

    order_signed.connect(_after_order_signed, dispatch_uid="grades-sheets-follow-orders")
