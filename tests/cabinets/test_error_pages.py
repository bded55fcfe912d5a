"""Translated error pages that never show a traceback."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from hub.cabinets.views import server_error


def test_not_found_page_is_in_russian_for_a_russian_browser(client, db):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="ru")

    assert response.status_code == 404
    page = response.content.decode()
    assert "Страница не найдена" in page
    assert 'lang="ru"' in page


def test_not_found_page_is_in_kyrgyz_by_default(client, db):
    page = client.get("/no-such-page/").content.decode()

    assert "Барак табылган жок" in page


def test_forbidden_cabinet_shows_the_same_not_found_page(client, cast):
    client.force_login(cast.student)

    response = client.get("/cabinet/admin/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "Cabinet not found" not in response.content.decode()


@pytest.mark.django_db
def test_server_error_page_needs_no_database_and_is_translated():
    request = RequestFactory().get("/")
    with translation.override("ru"), CaptureQueriesContext(connection) as queries:
        response = server_error(request)

    assert response.status_code == 500
    assert "Ошибка сервера" in response.content.decode()
    assert queries.captured_queries == []


def test_crashing_view_shows_our_page_without_a_traceback(client, db, settings):
    settings.ROOT_URLCONF = "tests.cabinets.crashing_urls"
    client.raise_request_exception = False

    response = client.get("/crash/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 500
    page = response.content.decode()
    assert "Server error" in page
    assert "Traceback" not in page
    assert "RuntimeError" not in page


def test_an_overloaded_database_pool_answers_503_with_retry_after(client, db, settings):
    settings.ROOT_URLCONF = "tests.cabinets.crashing_urls"
    client.raise_request_exception = False

    response = client.get("/busy/", HTTP_ACCEPT_LANGUAGE="ru")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    page = response.content.decode()
    with translation.override("ru"):
        busy = translation.gettext("The server is busy")
    assert busy in page and busy != "The server is busy"
    assert "Traceback" not in page and "PoolTimeout" not in page
