"""A student reads their own personal file: VIEW on records for the shipped student role."""

from django.db import migrations


def grant(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    RoleRight = apps.get_model("accounts", "RoleRight")
    role = Role.objects.filter(code="student").first()
    if role is not None:
        RoleRight.objects.get_or_create(role=role, module="records", defaults={"level": 1})


class Migration(migrations.Migration):
    dependencies = [("records", "0001_initial"), ("accounts", "0003_default_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
