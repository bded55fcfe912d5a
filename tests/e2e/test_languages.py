"""In Kyrgyz and in Russian, pages show no untranslated English string."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.e2e.test_cabinets import sign_in
from tests.po import parse_po

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Pages of different apps, as the administrator (who may open them all) sees them.
# Not the audit log: it shows each entry's object name as it was written, in the
# language of the moment of the change, as a record should.
PAGES = [
    "/cabinet/admin/",
    "/jobs/",
    "/notifications/",
    "/accounts/profile/",
    "/accounts/users/",
    "/structure/",
    "/records/",
    "/records/orders/",
    "/records/reports/contingent/",
    "/curricula/",
    "/staff/",
    "/chats/",
    "/announcements/",
]


def english_messages() -> list[str]:
    """The English source strings that have a different Kyrgyz translation.

    Strings with placeholders are matched on their longest literal part;
    single short words are left out, since a name or a code may spell them.
    """
    catalogue = Path(settings.BASE_DIR) / "locale" / "ky" / "LC_MESSAGES" / "django.po"
    messages = set()
    for entry in parse_po(catalogue.read_text()):
        if entry.msgstrs and entry.msgstrs[0] == entry.msgid:
            continue
        literal = max(re.split(r"%\(\w+\)[sd]|%[sd]|\{\w*\}", entry.msgid), key=len).strip()
        if len(literal.split()) >= 2:
            messages.add(literal)
    return sorted(messages)


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_pages_show_no_english_once_switched(page, live_server_url, cast, language):
    english = english_messages()
    sign_in(page, live_server_url, "admin")
    page.wait_for_url(f"{live_server_url}/cabinet/admin/")
    page.click(f".lang-switch button[value={language}]")
    page.wait_for_selector(f"html[lang={language}]")

    for path in PAGES:
        page.goto(live_server_url + path)
        assert page.locator("html").get_attribute("lang") == language
        text = " ".join(page.inner_text("body").split())
        left = [message for message in english if message in text]
        assert not left, f"{path} in {language} still shows: {left}"


def test_the_same_pages_in_english_show_the_source_strings(page, live_server_url, cast):
    # The check above can fail: in English the very same pages show these strings.
    english = english_messages()
    sign_in(page, live_server_url, "admin")
    page.wait_for_url(f"{live_server_url}/cabinet/admin/")

    for path in PAGES:
        page.goto(live_server_url + path)
        text = " ".join(page.inner_text("body").split())
        assert any(message in text for message in english), path
