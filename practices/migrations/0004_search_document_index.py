"""A GIN index on `title || body` of Wagtail's search index table, on PostgreSQL only.

The bank matches its search words against that expression (practices/selectors.py,
`_indexed_matches`); without an index on it PostgreSQL tests every entry in turn. The index
belongs to Wagtail's table but only the bank relies on it, so it lives here. SQLite searches
through its FTS5 table and needs nothing.
"""

from django.db import migrations

INDEX = "practices_search_document_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailsearch_indexentry"
            " USING gin ((title || body))"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0003_bank_state"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
