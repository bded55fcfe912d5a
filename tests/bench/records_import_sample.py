"""Sample lists of students for the records import: for its tests and its benchmark.

Kyrgyz names with ң, ө, ү; Russian headers by default (the offices' Excel
files mostly are), Kyrgyz or English on request.
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from openpyxl import Workbook

HEADERS = {
    "ru": ["Фамилия", "Имя", "Отчество", "Номер зачетной книжки", "Пол", "Дата рождения", "ПИН",
           "Гражданство", "Национальность", "Телефон", "E-mail", "Группа", "Финансирование",
           "В группе с"],
    "ky": ["Фамилиясы", "Аты", "Атасынын аты", "Зачеттик китепченин номери", "Жынысы",
           "Туулган күнү", "Жеке номер", "Жарандыгы", "Улуту", "Телефон", "Эл. почта", "Тайпа",
           "Каржылоо", "Тайпада качантан"],
    "en": ["Last name", "First name", "Patronymic", "Record book number", "Sex", "Date of birth",
           "PIN", "Citizenship", "Nationality", "Phone", "E-mail", "Group", "Funding",
           "In the group from"],
}  # fmt: skip
LAST = ["Өмүрбеков", "Жеңишбеков", "Асанов", "Түлөбаев", "Чыңгызов", "Сыдыков", "Үсөнов"]
FIRST = ["Бакыт", "Айгүл", "Нурлан", "Гүлнара", "Жеңиш", "Өмүр", "Чолпон", "Мээрим"]
FATHER = ["Асанович", "Үсөнович", "Бакытович", "Өмүрбековна", "Жеңишовна", ""]


def student_rows(
    count: int, *, groups: list[str], start: int = 1, prefix: str = "B"
) -> list[list[str]]:
    """`count` valid rows (no header), record numbers `<prefix>-000001`…, PINs unique."""
    rows = []
    for n in range(start, start + count):
        female = n % 2 == 0
        birth = date(2004, 1, 1) + timedelta(days=n % 1500)
        rows.append(
            [
                LAST[n % len(LAST)] + ("а" if female else ""),
                FIRST[n % len(FIRST)],
                FATHER[n % len(FATHER)],
                f"{prefix}-{n:06d}",
                "ж" if female else "м",
                birth.strftime("%d.%m.%Y"),
                # The demo's PINs end in the student's number (< 20,000): these never meet them.
                f"{1 if female else 2}{birth:%d%m%Y}{50_000 + n % 50_000:05d}",
                "Кыргызская Республика",
                "кыргыз",
                f"+996555{n:06d}",
                "",
                groups[n % len(groups)],
                "бюджет" if n % 3 else "контракт",
                "01.09.2024",
            ]
        )
    return rows


def xlsx_bytes(rows: list[list], *, language: str = "ru", header: list[str] | None = None) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Студенты")
    sheet.append(header or HEADERS[language])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(
    rows: list[list],
    *,
    language: str = "ru",
    delimiter: str = ";",
    bom: bool = True,
    header: list[str] | None = None,
) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header or HEADERS[language])
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")
