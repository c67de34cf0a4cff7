from django.db import migrations

from portal.groups import grant


def grant_permissions(apps, schema_editor):
    # The centre keeps the review expert pool's qualifications (seed 002 综合评审工作流程 三); the bureau reads.
    centre = [f"certification.{action}_expertqualification" for action in ("view", "add", "change", "delete")]
    grant(apps, schema_editor, {"centre_staff": centre, "bureau": ["certification.view_expertqualification"]})


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0004_expert_qualification"),
        ("portal", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant_permissions, migrations.RunPython.noop)]
