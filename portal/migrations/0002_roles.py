from django.db import migrations

from portal.groups import grant

GRANTS = {
    "applicant": [],
    "centre_staff": [
        "portal.view_calendarday",
        "portal.add_calendarday",
        "portal.change_calendarday",
        "portal.view_occupation",
        "portal.view_institution",
        "portal.view_auditevent",
    ],
    "bureau": ["portal.view_calendarday", "portal.view_occupation", "portal.view_institution"],
    "expert": [],
}


def create_roles(apps, schema_editor):
    grant(apps, schema_editor, GRANTS)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GRANTS).delete()


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial"), ("contenttypes", "0002_remove_content_type_name")]

    operations = [migrations.RunPython(create_roles, remove_roles)]
