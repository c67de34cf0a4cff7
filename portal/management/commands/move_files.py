"""Copies every stored file from one storage to the other (portal/storage.py): ``--to database`` before a
deployment switches to FILE_STORAGE=database, ``--to local`` to go back. Every file under MEDIA_ROOT (or
every row of portal_storedfile) is copied under the same name unless the target already has it with the
same size; each copy is read back and its size compared. The source is left as it was: delete it by hand
once the portal runs on the target. Safe to run again (it copies only what is missing)."""

from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.management import BaseCommand, CommandError

from portal.models import StoredFile
from portal.storage import DatabaseStorage


class Command(BaseCommand):
    help = "Copy the stored files between MEDIA_ROOT and the database (FILE_STORAGE)."

    def add_arguments(self, parser):
        parser.add_argument("--to", choices=("database", "local"), required=True)

    def handle(self, *args, to, **options):
        local = FileSystemStorage(location=settings.MEDIA_ROOT)
        database = DatabaseStorage()
        if to == "database":
            root = Path(settings.MEDIA_ROOT)
            names = (
                sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
                if root.exists()
                else []
            )
            source, target = local, database
        else:
            names = list(StoredFile.objects.order_by("name").values_list("name", flat=True))
            source, target = database, local
        copied = kept = 0
        for name in names:
            size = source.size(name)
            if target.exists(name) and target.size(name) == size:
                kept += 1
                continue
            if target.exists(name):
                target.delete(name)  # a partial copy of an earlier run
            with source.open(name, "rb") as stored:
                saved = target.save(name, ContentFile(stored.read()))
            if saved != name or target.size(name) != size:
                raise CommandError(f"{name}: copied as {saved}, {target.size(saved)} of {size} bytes")
            copied += 1
        self.stdout.write(f"{len(names)} files: {copied} copied to {to}, {kept} already there")
