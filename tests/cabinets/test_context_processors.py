"""The header navigation: per cabinet, only pages that exist."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from hub.cabinets.context_processors import navigation_for


def urls(user) -> list[str]:
    return [url for _label, url in navigation_for(user)]


def test_anonymous_has_no_navigation():
    assert navigation_for(AnonymousUser()) == []


def test_student_sees_the_cabinet_notifications_chats_and_announcements(cast):
    assert urls(cast.student) == [
        "/cabinet/student/",
        "/notifications/",
        "/chats/",
        "/announcements/",
        "/grades/",
        "/learning/",
        "/testing/",
        "/curricula/my/",
        "/accounts/profile/",
    ]


def test_teacher_also_follows_background_jobs(cast):
    assert urls(cast.teacher) == [
        "/cabinet/teacher/",
        "/notifications/",
        "/chats/",
        "/announcements/",
        "/grades/",
        "/learning/",
        "/testing/banks/",
        "/jobs/",
        "/accounts/profile/",
    ]


def test_staff_cabinet_also_gets_the_api_docs(cast):
    assert urls(cast.deanery_a) == [
        "/cabinet/staff/",
        "/notifications/",
        "/chats/",
        "/announcements/",
        "/grades/",
        "/jobs/",
        "/api/docs/",
        "/audit/",
        "/structure/",
        "/records/",
        "/curricula/",
        "/accounts/profile/",
    ]


def test_admin_site_is_offered_only_to_staff_users(cast):
    assert "/admin/" in urls(cast.admin)
    for name, user in cast.members().items():
        if not user.is_staff:
            assert "/admin/" not in urls(user), name


def test_header_shows_the_latin_name_in_english_and_the_badge(client, cast):
    client.force_login(cast.curator)

    page = client.get("/cabinet/curator/").content.decode()

    assert '<span class="user-name">Toktosunova Gulnara</span>' in page
    assert 'href="/notifications/">Notifications <span class="badge" data-unread-count' in page
    assert 'aria-current="page"' in page


def test_anonymous_page_has_no_navigation_nor_live_socket(client, db):
    page = client.get("/login/").content.decode()

    assert 'id="site-nav"' not in page
    assert "js/live.js" not in page
    assert 'name="language"' in page  # the language switcher is always there
