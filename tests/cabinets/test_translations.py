"""Every message of the project is translated into Kyrgyz and Russian."""

from __future__ import annotations

import gettext
from pathlib import Path

import pytest
from django.conf import settings

from tests.po import parse_po

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
CATALOGUES = sorted(
    path
    for language in ("ky", "ru")
    for path in (LOCALE_DIR / language / "LC_MESSAGES").glob("*.po")
)


def test_reader_sees_empty_fuzzy_and_plural_entries():
    entries = parse_po(
        'msgid ""\nmsgstr ""\n"Language: ky\\n"\n\n'
        '#, fuzzy, python-format\nmsgid "A"\nmsgstr "Б"\n\n'
        'msgid ""\n"Long "\n"text"\nmsgstr ""\n\n'
        'msgctxt "menu"\nmsgid "one"\nmsgid_plural "many"\nmsgstr[0] "бир"\nmsgstr[1] ""\n\n'
        '#~ msgid "gone"\n#~ msgstr "жок"\n'
    )

    assert [(e.msgctxt, e.msgid, e.msgid_plural, e.msgstrs, e.fuzzy) for e in entries] == [
        (None, "A", None, ["Б"], True),
        (None, "Long text", None, [""], False),
        ("menu", "one", "many", ["бир", ""], False),
    ]


def test_kyrgyz_and_russian_catalogues_exist():
    names = {path.relative_to(LOCALE_DIR).as_posix() for path in CATALOGUES}

    assert {"ky/LC_MESSAGES/django.po", "ru/LC_MESSAGES/django.po"} <= names


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.relative_to(LOCALE_DIR).as_posix())
def test_every_message_is_translated_and_none_is_fuzzy(path):
    entries = parse_po(path.read_text(encoding="utf-8"))

    untranslated = [e.msgid for e in entries if not all(e.msgstrs)]
    fuzzy = [e.msgid for e in entries if e.fuzzy]
    assert entries
    assert untranslated == [], f"{path}: untranslated"
    assert fuzzy == [], f"{path}: fuzzy"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.relative_to(LOCALE_DIR).as_posix())
def test_compiled_catalogue_matches_its_source(path):
    # Compared by content, not by file times: a git checkout sets those at random.
    compiled = path.with_suffix(".mo")
    assert compiled.exists(), f"run compilemessages: {compiled} is missing"
    with compiled.open("rb") as stream:
        catalogue = gettext.GNUTranslations(stream)

    stale = []
    for entry in parse_po(path.read_text(encoding="utf-8")):
        if entry.msgid_plural is not None:
            found = (
                catalogue.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, 1)
                if entry.msgctxt
                else catalogue.ngettext(entry.msgid, entry.msgid_plural, 1)
            )
        elif entry.msgctxt is not None:
            found = catalogue.pgettext(entry.msgctxt, entry.msgid)
        else:
            found = catalogue.gettext(entry.msgid)
        if found != entry.msgstrs[0]:
            stale.append(entry.msgid)
    assert stale == [], f"run compilemessages: {compiled} differs from its .po"


def test_login_page_is_in_kyrgyz_for_a_kyrgyz_browser(client, db):
    page = client.get("/login/", HTTP_ACCEPT_LANGUAGE="ky").content.decode()

    assert 'lang="ky"' in page
    assert "eBilim системасына кирүү" in page
    assert "Сырсөз" in page


def test_login_page_is_in_russian_for_a_russian_browser(client, db):
    page = client.get("/login/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()

    assert "Войти в eBilim" in page
    assert "Пароль" in page
