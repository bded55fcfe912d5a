from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hub.accounts.actions import user_language_set
from hub.errors import DomainError


def test_it_saves_the_language(cast):
    user_language_set(user=cast.parent, language="ky")

    cast.parent.refresh_from_db()
    assert cast.parent.language == "ky"


def test_it_refuses_a_language_the_site_does_not_offer(cast):
    with pytest.raises(DomainError):
        user_language_set(user=cast.parent, language="de")

    cast.parent.refresh_from_db()
    assert cast.parent.language == "en"


def test_it_writes_nothing_when_the_language_is_unchanged(cast):
    with CaptureQueriesContext(connection) as queries:
        user_language_set(user=cast.parent, language="en")

    assert not [q for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
