from django.db import migrations

from academic.staff.titles import position_titles_install


def install(apps, schema_editor):
    position_titles_install(apps.get_model("staff", "PositionTitle"))


class Migration(migrations.Migration):
    dependencies = [("staff", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
