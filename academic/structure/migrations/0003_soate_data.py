"""Load the SOATE classifier shipped in academic/structure/data/soate.csv (X-3).

Idempotent by code: a unit already present is brought up to the file's
names, level and parent; nothing is deleted. Going back leaves the rows (the
model's migration removes the table).
"""

from django.db import migrations

from academic.structure import soate

FIELDS = ("level", "name_ky", "name_ru", "name_en")


def load_classifier(apps, schema_editor):
    unit_model = apps.get_model("structure", "SoateUnit")
    units = {unit.code: unit for unit in unit_model.objects.all()}
    rows = soate.parents_first(enumerate(soate.read_data_file(), start=1))
    for _number, row in rows:
        values = {field: row[field] for field in FIELDS}
        values["parent"] = units[row["parent_code"]] if row["parent_code"] else None
        unit = units.get(row["code"]) or unit_model(code=row["code"])
        for field, value in values.items():
            setattr(unit, field, value)
        unit.save()
        units[unit.code] = unit


class Migration(migrations.Migration):
    dependencies = [
        ("structure", "0002_soate"),
    ]

    operations = [
        migrations.RunPython(load_classifier, migrations.RunPython.noop),
    ]
