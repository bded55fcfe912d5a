"""Ship the regulation's roles, their rights and the data-ownership map (AC-2, AC-7)."""

from django.db import migrations


def install(apps, schema_editor):
    from hub.accounts.roles import default_roles_install

    default_roles_install(
        apps.get_model("accounts", "Role"),
        apps.get_model("accounts", "RoleRight"),
        apps.get_model("accounts", "DataOwnership"),
    )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_roles_rights_scopes")]

    # Reversing keeps the rows: 0002's reversal drops the tables anyway.
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
