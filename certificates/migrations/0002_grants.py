from django.db import migrations

from portal.groups import grant

MODELS = ("certificate", "certificateserialcounter", "issuancebatch", "issuanceitem")


def grant_permissions(apps, schema_editor):
    # Centre staff read everything of certificates in the admin; changes go through the portal's rules.
    grant(apps, schema_editor, {"centre_staff": [f"certificates.view_{model}" for model in MODELS]})


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0001_initial"),
        ("portal", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant_permissions, migrations.RunPython.noop)]
