# Issue 22, finding 6 (admin rights review): the role groups still held view_emailnotice of filings and
# certification, granted by their 0002_grants, for the two EmailNotice tables that their migrations 0007
# moved into portal.OutboxMail (the groups read the mails there: portal 0003_outbox). The right names a
# model that no longer exists and grants nothing: it is taken back. No other right is removed (README.md,
# "Admin rights").

from django.db import migrations

STALE = [("filings", "view_emailnotice"), ("certification", "view_emailnotice")]
GROUPS = ["centre_staff", "bureau"]


def drop_stale_rights(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for app_label, codename in STALE:
        for permission in Permission.objects.filter(content_type__app_label=app_label, codename=codename):
            for group in Group.objects.filter(name__in=GROUPS):
                group.permissions.remove(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0004_calendaryear"),
        ("auth", "0012_alter_user_first_name_max_length"),
        # After the grants and the moves, so the rights are there to take back.
        ("filings", "0007_mail_moves_to_outbox"),
        ("certification", "0007_mail_moves_to_outbox"),
    ]

    operations = [migrations.RunPython(drop_stale_rights, migrations.RunPython.noop)]
