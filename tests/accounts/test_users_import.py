"""Bulk import of accounts from CSV and XLSX: preview, confirmation, initial passwords."""

from __future__ import annotations

import base64
import csv
import io
import re

import pytest
from django.contrib.auth import authenticate
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from hub.accounts import imports
from hub.accounts.actions import NewUser, users_import
from hub.accounts.models import User
from hub.audit.models import AuditEntry
from hub.errors import DomainError

URL = "/accounts/users/import/"
HEADER = ["username", "last_name", "first_name", "patronymic", "cabinet", "language", "phone"]
GOOD = [
    ["aigul", "Өмүрбекова", "Айгүл", "Жеңиш кызы", "student", "ky", "+996 555 11 22 33"],
    ["chyngyz", "Үсөнов", "Чыңгыз", "", "student", "", ""],
]
BAD = [
    ["student", "Асанов", "Бакыт", "", "student", "ky", ""],  # line 4: login taken
    ["nurlan", "", "Нурлан", "", "student", "ky", ""],  # line 5: no last name
    ["aibek", "Акматов", "Айбек", "", "student", "ky", "12"],  # line 6: bad phone
    ["aidana", "Акматова", "Айдана", "", "dean", "fr", ""],  # line 7: cabinet, language
    ["AIGUL", "Өмүрбекова", "Айгүл", "", "student", "ky", ""],  # line 8: repeats line 2
]


def csv_file(rows, *, delimiter=",", name="users.csv") -> SimpleUploadedFile:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows([HEADER, *rows])
    return SimpleUploadedFile(name, ("\ufeff" + out.getvalue()).encode("utf-8"))


def xlsx_file(rows) -> SimpleUploadedFile:
    workbook = Workbook()
    for row in [HEADER, *rows]:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile("users.xlsx", out.getvalue())


@pytest.fixture
def admin_client(client, cast):
    client.force_login(cast.admin)
    return client


def preview(client, upload):
    response = client.post(URL, {"file": upload}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response


def signs_in(username: str, password: str) -> bool:
    request = RequestFactory().post(reverse("login"))
    return authenticate(request, username=username, password=password) is not None


@pytest.mark.parametrize("make", [csv_file, xlsx_file], ids=["csv", "xlsx"])
def test_the_preview_reports_every_bad_row_with_its_line_and_saves_nothing(
    admin_client, cast, make
):
    count = User.objects.count()

    response = preview(admin_client, make(GOOD + BAD))

    page = response.content.decode()
    rows = {row.line: row.problems for row in response.context["rows"]}
    assert rows[2] == [] and rows[3] == []
    assert rows[4] == ["The login “student” is already taken."]
    assert rows[5] == ["The last name and the first name are required."]
    assert rows[6][0].startswith("Enter a phone number of 9 to 15 digits")
    assert rows[7] == ["Unknown cabinet “dean”.", "Unknown language “fr”."]
    assert rows[8] == ["The login “AIGUL” is already taken."]
    assert re.findall(r'data-bad-line="(\d+)"', page) == ["4", "5", "6", "7", "8"]
    assert "Create 2 accounts" in page
    assert User.objects.count() == count


def test_semicolon_csv_from_excel_is_read(admin_client, cast):
    response = preview(admin_client, csv_file(GOOD, delimiter=";"))

    assert [row.data.username for row in response.context["rows"]] == ["aigul", "chyngyz"]


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("users.txt", b"x"), "Upload a .csv or .xlsx file."),
        (SimpleUploadedFile("users.xlsx", b"not a zip"), "not a readable Excel"),
        (SimpleUploadedFile("users.csv", "a;b".encode("cp1251")), "missing: username"),
        (SimpleUploadedFile("users.csv", "Фамилия".encode("cp1251")), "saved in UTF-8"),
    ],
)
def test_an_unreadable_file_is_refused_with_the_reason(admin_client, cast, upload, message):
    response = admin_client.post(URL, {"file": upload}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert message in response.content.decode()


def test_confirming_creates_the_valid_rows_and_offers_the_passwords_once(admin_client, cast):
    payload = preview(admin_client, csv_file(GOOD + BAD)).context["payload"]

    response = admin_client.post(URL, {"payload": payload}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    aigul = User.objects.get(username="aigul")
    assert (aigul.first_name_latin, aigul.patronymic_latin) == ("Aigul", "Zhengish kyzy")
    assert (aigul.phone, aigul.must_change_password) == ("+996555112233", True)
    assert User.objects.get(username="chyngyz").language == "ky"
    assert not User.objects.filter(username__in=["nurlan", "aibek", "aidana"]).exists()

    href = re.search(
        r'href="data:text/csv;charset=utf-8;base64,([^"]+)"', response.content.decode()
    )
    data = base64.b64decode(href[1])
    assert data.startswith("\ufeff".encode())  # Excel reads UTF-8 only with the mark
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["Login", "Last name", "First name", "Patronymic", "Password"]
    assert rows[1][:4] == ["aigul", "Өмүрбекова", "Айгүл", "Жеңиш кызы"]
    assert signs_in("aigul", rows[1][4])
    assert signs_in("chyngyz", rows[2][4])


def test_the_import_is_one_audit_batch_with_the_new_values(admin_client, cast):
    payload = preview(admin_client, csv_file(GOOD)).context["payload"]

    admin_client.post(URL, {"payload": payload})

    entries = AuditEntry.objects.filter(action="users_import")
    assert entries.count() == 2
    assert len({entry.batch_id for entry in entries}) == 1
    assert {entry.after["username"] for entry in entries} == {"aigul", "chyngyz"}
    assert all(entry.actor == cast.admin for entry in entries)


def test_a_tampered_preview_is_refused(admin_client, cast):
    payload = preview(admin_client, csv_file(GOOD)).context["payload"]

    response = admin_client.post(URL, {"payload": payload[:-2] + "xx"}, follow=True)

    assert "upload the file again" in response.content.decode()
    assert not User.objects.filter(username="aigul").exists()


def test_a_login_taken_after_the_preview_refuses_the_whole_import(admin_client, cast):
    payload = preview(admin_client, csv_file(GOOD)).context["payload"]
    User.objects.create(username="chyngyz")

    response = admin_client.post(URL, {"payload": payload}, follow=True, HTTP_ACCEPT_LANGUAGE="en")

    assert "Row 2: The login “chyngyz” is already taken." in response.content.decode()
    assert not User.objects.filter(username="aigul").exists()


def test_the_action_refuses_an_empty_import(cast):
    with translation.override("en"), pytest.raises(DomainError, match="nothing to import"):
        users_import(by=cast.admin, rows=[])


def test_the_action_refuses_a_login_repeated_within_the_rows(cast):
    rows = [
        NewUser(username="aibek", last_name="Акматов", first_name="Айбек", cabinet="student"),
        NewUser(username="Aibek", last_name="Акматов", first_name="Айбек", cabinet="student"),
    ]

    with pytest.raises(DomainError):
        users_import(by=cast.admin, rows=rows)

    assert not User.objects.filter(username__iexact="aibek").exists()


def test_a_file_longer_than_the_limit_is_refused_whole(admin_client, cast, monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 1)  # the file has 2

    response = admin_client.post(URL, {"file": csv_file(GOOD)}, HTTP_ACCEPT_LANGUAGE="en")

    assert "A file may hold at most 1 account; split a longer list." in response.content.decode()
    assert "payload" not in response.context
