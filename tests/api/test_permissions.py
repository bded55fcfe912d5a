"""HasModuleRight: API views guarded by module rights of the one access layer."""

from __future__ import annotations

import pytest
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate

from hub.accounts.access import Level, Module
from hub.api.base import Api
from hub.api.permissions import HasModuleRight


class GradesApi(Api):
    permission_classes = [HasModuleRight(Module.GRADES, Level.VIEW, write=Level.EDIT)]

    def get(self, request):
        return Response({"ok": True})

    def post(self, request):
        return Response({"ok": True})


factory = APIRequestFactory()


def call(method: str, user=None):
    request = getattr(factory, method)("/api/v1/grades/")
    if user is not None:
        force_authenticate(request, user=user)
    return GradesApi.as_view()(request)


@pytest.mark.parametrize("member", ["student", "parent", "curator", "deanery_a", "admin"])
def test_members_with_view_on_grades_read(cast, member):
    assert call("get", getattr(cast, member)).status_code == 200


@pytest.mark.parametrize("member", ["deanery_a", "teacher", "vice_rector", "admin"])
def test_members_with_edit_on_grades_write(cast, member):
    assert call("post", getattr(cast, member)).status_code == 200


@pytest.mark.parametrize("member", ["student", "parent", "curator", "records_office"])
def test_members_without_edit_get_not_found_on_write(cast, member):
    assert call("post", getattr(cast, member)).status_code == 404


@pytest.mark.parametrize("member", ["cashier", "applicant"])
def test_strangers_to_grades_get_not_found_on_read(cast, member):
    assert call("get", getattr(cast, member)).status_code == 404


def test_anonymous_is_asked_to_authenticate(db):
    assert call("get").status_code in (401, 403)


def test_the_class_is_named_after_its_right():
    assert HasModuleRight(Module.CASHIER, Level.EDIT).__name__ == "HasModuleRight_cashier_2"
