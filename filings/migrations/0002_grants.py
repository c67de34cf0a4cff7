from django.db import migrations

from portal.groups import grant

MODELS = (
    "filing",
    "filingoccupation",
    "filingperson",
    "filingequipment",
    "attachment",
    "evaluationbatch",
    "expertdraw",
    "expertreview",
    "objection",
    "sequencecounter",
    "institutioncode",
    "emailnotice",
)


def grant_permissions(apps, schema_editor):
    # Centre staff and the bureau read filings in the admin; every change goes through filings.workflow.
    perms = [f"filings.view_{model}" for model in MODELS]
    grant(apps, schema_editor, {"centre_staff": perms, "bureau": perms})


class Migration(migrations.Migration):
    dependencies = [
        ("filings", "0001_initial"),
        ("portal", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant_permissions, migrations.RunPython.noop)]
