from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from hub.cabinets.permissions import access_cabinet


def test_it_returns_the_users_own_kind(cast):
    assert access_cabinet(cast.curator, "curator") == "curator"


def test_it_refuses_another_kind_with_not_found(cast):
    with pytest.raises(Http404):
        access_cabinet(cast.student, "teacher")


def test_it_refuses_an_unknown_kind_like_a_forbidden_one(cast):
    with pytest.raises(Http404):
        access_cabinet(cast.student, "nonexistent")


def test_it_refuses_anonymous():
    with pytest.raises(Http404):
        access_cabinet(AnonymousUser(), "student")
