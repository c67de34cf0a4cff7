"""The roles of the title application (talent/roles.py) as groups. They work on its pages, not in the
admin: no model permissions."""

from django.db import migrations

from portal.groups import grant

GRANTS = {
    "title_recommender": [],
    "title_department": [],
    "title_zhongtian": [],
    "title_review_body": [],
}


def create_roles(apps, schema_editor):
    grant(apps, schema_editor, GRANTS)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GRANTS).delete()


class Migration(migrations.Migration):
    dependencies = [("talent", "0001_initial"), ("portal", "0002_roles")]

    operations = [migrations.RunPython(create_roles, remove_roles)]
