"""The deanery and the department read the audit of their own unit (AM-4): VIEW on audit."""

from django.db import migrations

ROLES = ("deanery", "department")


def grant(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    RoleRight = apps.get_model("accounts", "RoleRight")
    for role in Role.objects.filter(code__in=ROLES):
        RoleRight.objects.get_or_create(role=role, module="audit", defaults={"level": 1})


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_unit_path"), ("accounts", "0003_default_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
