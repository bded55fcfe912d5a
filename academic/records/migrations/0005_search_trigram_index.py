"""On PostgreSQL, a trigram index makes "contains" searches of names use an index (SR-7).

Needs the pg_trgm extension; where the database user may not create it, the
search still works (a sequential scan of 20,000 short rows), only slower.
"""

import logging

from django.db import DatabaseError, migrations, transaction

logger = logging.getLogger(__name__)

INDEX = "records_student_search_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic():
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {INDEX} ON records_student "
                "USING gin (search_text gin_trgm_ops)"
            )
    except DatabaseError:
        logger.warning("pg_trgm is not available: student search runs without its index")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("records", "0004_starosta_terms")]

    operations = [migrations.RunPython(create, drop)]
