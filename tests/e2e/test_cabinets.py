"""The base interface in a real browser against the real ASGI server."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}


def sign_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.form button[type=submit]")


def horizontal_overflow(page) -> int:
    return page.evaluate("document.scrollingElement.scrollWidth")


def test_student_signs_in_and_lands_in_the_student_cabinet(page, live_server_url, cast):
    sign_in(page, live_server_url, "student")

    page.wait_for_url(f"{live_server_url}/cabinet/student/")
    assert page.locator("h1").inner_text() == "Hello, Asanov Bakyt!"
    assert page.locator(".eyebrow").inner_text().lower() == "student cabinet"
    assert page.locator(".card--coming").count() == 4
    ready = page.locator(".card:not(.card--coming) h2 a")
    assert ready.all_inner_texts() == ["My grades", "Record book"]
    assert page.locator(".user-name").inner_text() == "Asanov Bakyt"


def test_teacher_signs_in_and_lands_in_the_teacher_cabinet(page, live_server_url, cast):
    sign_in(page, live_server_url, "teacher")

    page.wait_for_url(f"{live_server_url}/cabinet/teacher/")
    assert page.locator("h1").inner_text() == "Hello, Ivanova Natalya!"
    assert page.get_by_role("link", name="Jobs").is_visible()


def test_wrong_password_keeps_the_visitor_on_the_login_page(page, live_server_url, cast):
    page.goto(f"{live_server_url}/login/")
    page.fill("input[name=username]", "student")
    page.fill("input[name=password]", "not-the-password")
    page.click("form.form button[type=submit]")

    assert page.locator("[role=alert]").inner_text().startswith("Wrong login or password")
    assert page.url.startswith(f"{live_server_url}/login/")


def test_signed_in_user_switches_to_kyrgyz(page, live_server_url, cast):
    sign_in(page, live_server_url, "student")
    page.wait_for_url(f"{live_server_url}/cabinet/student/")

    page.click(".lang-switch button[value=ky]")

    page.wait_for_selector("html[lang=ky]")
    assert page.url == f"{live_server_url}/cabinet/student/"
    assert page.locator("h1").inner_text() == "Саламатсызбы, Асанов Бакыт!"
    assert page.get_by_role("link", name="Менин кабинетим").is_visible()
    cast.student.refresh_from_db()
    assert cast.student.language == "ky"


def test_visitor_switches_the_login_page_to_kyrgyz(page, live_server_url, db):
    page.goto(f"{live_server_url}/login/")
    assert page.locator("h1").inner_text() == "Sign in to eBilim"

    page.click(".lang-switch button[value=ky]")

    page.wait_for_selector("html[lang=ky]")
    assert page.locator("h1").inner_text() == "eBilim системасына кирүү"
    assert page.locator("label[for=id_password]").inner_text().startswith("Сырсөз")


def test_cabinet_fits_a_360px_phone_and_its_menu_works(page, live_server_url, cast, screenshot_dir):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server_url, "deanery_a")  # the longest navigation but the admin's
    page.wait_for_url(f"{live_server_url}/cabinet/staff/")

    assert horizontal_overflow(page) <= PHONE["width"]
    toggle = page.locator(".nav-toggle")
    links = page.locator("#site-nav")
    assert toggle.is_visible()
    assert not links.is_visible()
    page.screenshot(path=screenshot_dir / "cabinet-360-closed.png", full_page=True)

    toggle.click()

    assert toggle.get_attribute("aria-expanded") == "true"
    assert links.is_visible()
    for link in page.locator("#site-nav a").all():
        box = link.bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= PHONE["width"]
        assert box["height"] >= 24  # big enough to tap
    assert horizontal_overflow(page) <= PHONE["width"]
    page.screenshot(path=screenshot_dir / "cabinet-360-open.png", full_page=True)

    page.get_by_role("button", name="Log out").click()

    page.wait_for_url(f"{live_server_url}/login/")


def test_login_page_fits_a_360px_phone_in_kyrgyz(page, live_server_url, db, screenshot_dir):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server_url}/login/")
    page.click(".lang-switch button[value=ky]")
    page.wait_for_selector("html[lang=ky]")

    assert horizontal_overflow(page) <= PHONE["width"]
    assert page.locator("input[name=username]").is_visible()
    page.screenshot(path=screenshot_dir / "login-360-ky.png", full_page=True)


def test_desktop_shows_the_navigation_without_a_menu_button(
    page, live_server_url, cast, screenshot_dir
):
    sign_in(page, live_server_url, "admin")
    page.wait_for_url(f"{live_server_url}/cabinet/admin/")

    assert not page.locator(".nav-toggle").is_visible()
    assert page.get_by_role("link", name="Administration").is_visible()
    assert horizontal_overflow(page) <= 1280
    page.screenshot(path=screenshot_dir / "cabinet-desktop.png", full_page=True)
