from django.db import migrations

from portal.groups import grant

MODELS = ("assessmentplan", "planstaff", "candidate", "comprehensivereview", "panelist", "emailnotice", "staffingratio")


def grant_permissions(apps, schema_editor):
    # Centre staff and the bureau read plans in the admin; state changes go through certification.workflow.
    perms = [f"certification.view_{model}" for model in MODELS]
    # Staffing ratios come from each national standard: centre staff maintain them.
    centre = perms + [f"certification.{action}_staffingratio" for action in ("add", "change", "delete")]
    grant(apps, schema_editor, {"centre_staff": centre, "bureau": perms})


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0001_initial"),
        ("portal", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant_permissions, migrations.RunPython.noop)]
