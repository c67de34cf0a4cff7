"""Issue 21: batch PDFs stored before this release may hold certificates revoked since. Their stored PDF
is dropped (file and name); the batch page prints it again without them on the next download
(views.batch_pdf)."""

from django.db import migrations


def drop_batch_pdfs_with_revoked_certificates(apps, schema_editor):
    from django.core.files.storage import default_storage

    IssuanceBatch = apps.get_model("certificates", "IssuanceBatch")
    stale = IssuanceBatch.objects.filter(items__certificate__status="revoked").exclude(pdf="")
    for pk, name in sorted(set(stale.values_list("pk", "pdf"))):
        IssuanceBatch.objects.filter(pk=pk).update(pdf="")
        default_storage.delete(name)


class Migration(migrations.Migration):
    dependencies = [("certificates", "0003_lookupevent")]

    operations = [
        migrations.RunPython(drop_batch_pdfs_with_revoked_certificates, migrations.RunPython.noop, elidable=True)
    ]
