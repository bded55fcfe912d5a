"""The rector's office announces to the whole university (TC-7): EDIT on announcements."""

from django.db import migrations


def grant(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    RoleRight = apps.get_model("accounts", "RoleRight")
    for role in Role.objects.filter(code="rectorate"):
        RoleRight.objects.update_or_create(role=role, module="announcements", defaults={"level": 2})


class Migration(migrations.Migration):
    dependencies = [("realtime", "0002_announcements"), ("accounts", "0003_default_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
