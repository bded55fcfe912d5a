"""audit/export.csv: the current filter as CSV that Excel opens with Kyrgyz letters intact."""

from __future__ import annotations

import csv
import io

from tests.audit.conftest import bishkek


def read_csv(response) -> list[list[str]]:
    body = b"".join(response) if response.streaming else response.content
    assert body.startswith(b"\xef\xbb\xbf"), "UTF-8 byte order mark for Excel"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_export_keeps_kyrgyz_letters(client, cast, make_entry):
    make_entry(
        actor=cast.other_student,
        object_repr="Өмүрбекова Айгүл",
        changes={"last_name": ["Өмүрбекова", "Үсөнова-Ңааз"]},
        reason="Нике күбөлүгү боюнча, жаңы фамилия",
        at=bishkek(5, hour=9),
        ip="203.0.113.5",
    )
    client.force_login(cast.admin)

    response = client.get("/audit/export.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="audit-')
    header, row = read_csv(response)
    assert header == [
        "Time",
        "User",
        "IP address",
        "Action",
        "Object type",
        "Object id",
        "Object",
        "Changes",
        "Reason",
        "Batch",
    ]
    assert row == [
        "2026-10-05 09:00:00",
        "Өмүрбекова Айгүл (other_student)",
        "203.0.113.5",
        "user_profile_update",
        "accounts.user",
        "1",
        "Өмүрбекова Айгүл",
        "last name: Өмүрбекова → Үсөнова-Ңааз",
        "Нике күбөлүгү боюнча, жаңы фамилия",
        "",
    ]
    for letter in "ңөүҢӨҮ":
        assert letter in response.content.decode("utf-8")


def test_the_export_follows_the_filter(client, cast, make_entry):
    make_entry(actor=cast.curator, object_id="1")
    make_entry(actor=cast.admin, object_id="2")
    make_entry(actor=cast.admin, object_id="3", action="user_language_set")
    client.force_login(cast.admin)

    rows = read_csv(
        client.get("/audit/export.csv", {"user": "admin", "action": "user_profile_update"})
    )

    assert [row[5] for row in rows[1:]] == ["2"]


def test_a_cell_that_a_spreadsheet_would_run_as_a_formula_is_quoted(client, cast, make_entry):
    make_entry(object_repr='=HYPERLINK("http://evil.example","click")')
    client.force_login(cast.admin)

    _header, row = read_csv(client.get("/audit/export.csv"))

    assert row[6] == '\'=HYPERLINK("http://evil.example","click")'
    assert row[1] == "System"
