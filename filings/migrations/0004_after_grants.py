from django.db import migrations

from portal.groups import grant

# Filings II (issue 5): centre staff and the bureau read life-after-filing records in the admin;
# decisions go through filings.lifecycle (the portal pages),
# except the bureau, which may set a blacklist entry's lifted date.
MODELS = (
    "changerequest",
    "renewal",
    "terminationrequest",
    "sanction",
    "blacklistentry",
    "complaint",
    "inspection",
    "inspectiondraw",
    "renewalreminder",
)


def grant_permissions(apps, schema_editor):
    perms = [f"filings.view_{model}" for model in MODELS]
    grant(apps, schema_editor, {"centre_staff": perms, "bureau": [*perms, "filings.change_blacklistentry"]})


class Migration(migrations.Migration):
    dependencies = [
        ("filings", "0003_after_filing"),
        ("portal", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant_permissions, migrations.RunPython.noop)]
