"""The SOATE classifier (X-3): the shipped data, its import, and the address selectors."""

import io
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from academic.structure import soate
from academic.structure.actions import soate_import
from academic.structure.models import SoateLevel, SoateUnit
from academic.structure.selectors import soate_children, soate_display, soate_path, soate_units
from hub.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

KYRGYZ_LETTERS = re.compile("[ңөүҢӨҮ]")
CHUY, ALAMUDUN, LEBEDINOVKA = "41708000000000", "41708203000000", "41708203801010"
DISTRICTS_PER_REGION = {
    "41702": 5,  # Issyk-Kul
    "41703": 8,  # Jalal-Abad
    "41704": 5,  # Naryn
    "41705": 3,  # Batken
    "41706": 7,  # Osh
    "41707": 4,  # Talas
    "41708": 8,  # Chuy
}


def unit(code: str) -> SoateUnit:
    return soate_units().get(code=code)


def row(code: str, level: str, parent_code: str = "", name: str = "Жаңы") -> dict:
    return {
        "code": code,
        "level": level,
        "parent_code": parent_code,
        "name_ky": name,
        "name_ru": f"{name} ru",
        "name_en": f"{name} en",
    }


# --- The shipped classifier --------------------------------------------------------------


def test_the_top_level_is_the_7_regions_and_the_2_cities_of_republican_significance():
    top = SoateUnit.objects.filter(parent__isnull=True)

    assert top.filter(level=SoateLevel.REGION).count() == 7
    assert set(top.filter(level=SoateLevel.CITY).values_list("code", flat=True)) == {
        "41711000000000",  # Bishkek
        "41721000000000",  # Osh
    }
    assert top.count() == 9


def test_every_region_has_all_its_districts_and_every_district_lies_in_a_region():
    districts = SoateUnit.objects.filter(level=SoateLevel.DISTRICT).select_related("parent")

    assert districts.count() == sum(DISTRICTS_PER_REGION.values()) == 40
    for district in districts:
        assert district.parent.level == SoateLevel.REGION
        assert district.code.startswith(district.parent.code[:5])
    for prefix, count in DISTRICTS_PER_REGION.items():
        assert districts.filter(parent__code=f"{prefix}000000000").count() == count


def test_every_district_has_its_centre_or_another_place_inside():
    empty = SoateUnit.objects.filter(level=SoateLevel.DISTRICT, children__isnull=True)

    assert not empty.exists()


def test_codes_are_unique_14_digits_of_the_kyrgyz_republic_under_their_parent():
    codes = list(SoateUnit.objects.values_list("code", flat=True))

    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"417\d{11}", code) for code in codes)
    for child in SoateUnit.objects.filter(parent__isnull=False).select_related("parent"):
        assert child.code.startswith(soate.code_prefix(child.parent.code)), child.code


def test_names_are_in_three_languages_with_kyrgyz_letters():
    units = SoateUnit.objects.all()

    assert not units.filter(name_ky="").exists()
    assert not units.filter(name_ru="").exists()
    assert not units.filter(name_en="").exists()
    assert KYRGYZ_LETTERS.search(unit("41702000000000").name_ky)  # Ысык-Көл облусу
    assert sum(bool(KYRGYZ_LETTERS.search(u.name_ky)) for u in units) >= 10


def test_the_data_file_loads_without_a_bad_row():
    rows = soate.read_data_file()

    report = soate_import(by=None, rows=rows)

    assert report.errors == []
    assert report.unchanged == len(rows) == SoateUnit.objects.count()
    assert report.created == report.updated == 0


# --- Path and display ------------------------------------------------------------------------


def test_the_path_of_a_village_runs_region_district_village_without_queries(
    django_assert_num_queries,
):
    village = unit(LEBEDINOVKA)

    with django_assert_num_queries(0):
        path = soate_path(village)

    assert [part.code for part in path] == [CHUY, ALAMUDUN, LEBEDINOVKA]
    assert soate_path(None) == []


def test_the_display_reads_like_an_address_in_the_active_language():
    village = unit(LEBEDINOVKA)

    with translation.override("en"):
        assert soate_display(village) == "Chuy region, Alamudun district, Lebedinovka"
    with translation.override("ky"):
        assert soate_display(village) == "Чүй облусу, Аламүдүн району, Лебединовка"
    with translation.override("ru"):
        assert soate_display(unit("41711000000000")) == "город Бишкек"
    assert soate_display(None) == ""


def test_children_are_ordered_by_name_and_know_whether_they_have_children():
    with translation.override("en"):
        names = [u.name_en for u in soate_children(parent=unit(CHUY))]
        top = {u.code: u.has_children for u in soate_children(parent=None)}

    assert names[0] == "Alamudun district"
    assert "Tokmok" in names
    assert names == sorted(names)
    assert top[CHUY] is True
    assert top["41711000000000"] is False


# --- soate_import --------------------------------------------------------------------------


def test_import_adds_new_units_parents_first_whatever_their_order():
    rows = [
        row("41708203899010", "settlement", "41708203899000"),
        row("41708203899000", "city", ALAMUDUN, name="Жаңы шаар"),
    ]

    report = soate_import(by=None, rows=rows)

    assert report.errors == []
    assert report.created == 2
    assert unit("41708203899010").parent == unit("41708203899000")
    assert unit("41708203899000").parent == unit(ALAMUDUN)


def test_import_updates_a_known_code_and_audits_everything_as_one_batch(cast):
    rows = [
        row("41708203899000", "city", ALAMUDUN),
        {
            **row(LEBEDINOVKA, "settlement", ALAMUDUN),
            "name_ky": "Лебединовка",
            "name_ru": "Лебединовка",
        },
    ]
    rows[1]["name_en"] = "Lebedinovka village"

    report = soate_import(by=cast.admin, rows=rows)

    created = AuditEntry.objects.get(action="soate_unit_create")
    updated = AuditEntry.objects.get(action="soate_unit_update")
    assert (report.created, report.updated, report.unchanged) == (1, 1, 0)
    assert updated.changes == {"name_en": ["Lebedinovka", "Lebedinovka village"]}
    assert created.batch_id is not None
    assert created.batch_id == updated.batch_id
    assert created.actor == cast.admin


def test_importing_the_same_rows_again_changes_nothing():
    rows = [row("41708203899000", "city", ALAMUDUN)]
    soate_import(by=None, rows=rows)
    entries_before = AuditEntry.objects.count()

    report = soate_import(by=None, rows=rows)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)
    assert AuditEntry.objects.count() == entries_before
    assert SoateUnit.objects.filter(code="41708203899000").count() == 1


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (row("4170820389900", "city", ALAMUDUN), "14 digits"),
        (row("51708203899000", "city", ALAMUDUN), "starting with 417"),
        (row("4170820389900x", "city", ALAMUDUN), "14 digits"),
        (row("41708203899000", "village", ALAMUDUN), "Unknown level"),
        (row("41708203899000", "city", "41708203777000"), "Unknown parent code"),
        (row("41708203899000", "district", ALAMUDUN), "cannot lie in one of level district"),
        (row("41708203899000", "region", CHUY), "cannot lie in one of level region"),
        (row("41708203899000", "settlement"), "cannot lie in one of level —"),
        (row("41708203899000", "city", "41708203899000"), "cannot lie in itself"),
        (row("41708206899000", "city", ALAMUDUN), "does not continue the code"),
        ({**row("41708203899000", "city", ALAMUDUN), "name_ru": " "}, "names are required"),
        ({**row("41708203899000", "city", ALAMUDUN), "name_ky": "ж" * 256}, "longer than 255"),
    ],
)
def test_each_bad_row_is_reported_with_its_number_and_not_loaded(bad, message):
    good = row("41708203898000", "city", ALAMUDUN)

    with translation.override("en"):
        report = soate_import(by=None, rows=[good, bad])

    assert len(report.errors) == 1
    number, text = report.errors[0]
    assert number == 2
    assert message in text
    assert report.created == 1
    assert not SoateUnit.objects.filter(code="41708203899000").exists()


def test_a_code_given_twice_is_loaded_once_and_the_repeat_reported():
    rows = [row("41708203899000", "city", ALAMUDUN), row("41708203899000", "city", ALAMUDUN)]

    with translation.override("en"):
        report = soate_import(by=None, rows=rows)

    assert report.created == 1
    assert report.errors == [(2, "The code 41708203899000 is given twice.")]


def test_a_child_of_a_bad_row_is_reported_too():
    rows = [
        row("41708203899000", "village", ALAMUDUN),
        row("41708203899010", "settlement", "41708203899000"),
    ]

    report = soate_import(by=None, rows=rows)

    assert [number for number, _text in report.errors] == [1, 2]
    assert report.created == 0


def test_read_csv_strips_values_and_refuses_missing_columns():
    text = "code,level,parent_code,name_ky,name_ru,name_en\n 41708203899000 ,city,41708203000000,А,Б,\n"

    assert soate.read_csv(io.StringIO(text))[0]["code"] == "41708203899000"
    with pytest.raises(ValueError, match="name_ru"):
        soate.read_csv(io.StringIO("code,level,parent_code,name_ky\n"))


# --- manage.py load_soate -------------------------------------------------------------------


def write_csv(path: Path, rows: list[dict]) -> Path:
    lines = [",".join(soate.COLUMNS)]
    lines += [",".join(r[column] for column in soate.COLUMNS) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_load_soate_loads_a_file_and_says_what_it_did(tmp_path):
    file = write_csv(tmp_path / "soate.csv", [row("41708203899000", "city", ALAMUDUN)])
    out = io.StringIO()

    with translation.override("en"):
        call_command("load_soate", str(file), stdout=out)

    assert "1 added, 0 updated, 0 unchanged, 0 bad" in out.getvalue()
    assert AuditEntry.objects.get(action="soate_unit_create").user_agent == "manage.py load_soate"


def test_load_soate_lists_bad_lines_by_file_line_and_fails(tmp_path):
    rows = [row("41708203899000", "city", ALAMUDUN), row("123", "city", ALAMUDUN)]
    file = write_csv(tmp_path / "soate.csv", rows)
    err = io.StringIO()

    with translation.override("en"), pytest.raises(CommandError):
        call_command("load_soate", str(file), stdout=io.StringIO(), stderr=err)

    assert "Line 3:" in err.getvalue()
    assert SoateUnit.objects.filter(code="41708203899000").exists()


def test_load_soate_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError):
        call_command("load_soate", str(tmp_path / "none.csv"), stdout=io.StringIO())


def test_load_soate_without_a_file_reloads_the_shipped_classifier():
    SoateUnit.objects.filter(code=LEBEDINOVKA).update(name_en="Changed")
    out = io.StringIO()

    with translation.override("en"):
        call_command("load_soate", stdout=out)

    assert "0 added, 1 updated" in out.getvalue()
    assert unit(LEBEDINOVKA).name_en == "Lebedinovka"


@pytest.mark.parametrize(
    ("code", "prefix"),
    [
        ("41708000000000", "41708"),
        ("41708203000000", "41708203"),
        ("41702210000000", "41702210"),
        ("41708203801010", "41708203801010"),
        ("41708206510000", "41708206510"),
        ("41711000000000", "41711"),
    ],
)
def test_a_code_prefix_keeps_whole_parts_of_the_code(code, prefix):
    assert soate.code_prefix(code) == prefix
