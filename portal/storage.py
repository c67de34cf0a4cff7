"""Where uploaded and generated files live (issue 41: several hosts, one portal).

``FILE_STORAGE`` (settings, from the environment) chooses:

- ``local`` (default): files under MEDIA_ROOT (Django's FileSystemStorage) — one host, or several hosts
  sharing one volume (docker-compose.yml mounts ``media`` into every service).
- ``database``: files in PostgreSQL (:class:`DatabaseStorage`, the table portal_storedfile) — several hosts
  with no shared disk; backups then hold the files with the data. Suited to the portal's sizes (uploads are
  at most UPLOAD_MAX_BYTES, 20 MB; certificate PDFs some 100 KB).

Why not django-storages with an S3-compatible store: it needs an object store beside PostgreSQL and Redis,
which this deployment does not run; the database-backed libraries on PyPI want a model per file field
(django-db-file-storage), so they are no drop-in for the portal's twenty-odd FileFields. This class is the
plain Django Storage API over one table. ``manage.py move_files --to database|local`` moves existing files.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import IntegrityError, transaction
from django.utils.deconstruct import deconstructible


@deconstructible
class DatabaseStorage(Storage):
    def _model(self):
        from .models import StoredFile

        return StoredFile

    def _open(self, name, mode="rb"):
        if "w" in mode or "a" in mode:
            raise ValueError("DatabaseStorage files are written through save()")
        row = self._model().objects.filter(name=name).values_list("content", flat=True).first()
        if row is None:
            raise FileNotFoundError(name)
        stored = ContentFile(bytes(row), name=name)
        stored.mode = mode
        return stored

    def _save(self, name, content):
        if hasattr(content, "seek"):
            content.seek(0)
        data = content.read()
        if isinstance(data, str):
            data = data.encode()
        model = self._model()
        while True:
            try:
                with transaction.atomic():
                    model.objects.create(name=name, content=data, size=len(data))
                return name
            except IntegrityError:  # taken between get_available_name and here: another name
                name = self.get_available_name(name)

    def delete(self, name):
        self._model().objects.filter(name=name).delete()

    def exists(self, name):
        return self._model().objects.filter(name=name).exists()

    def size(self, name):
        size = self._model().objects.filter(name=name).values_list("size", flat=True).first()
        if size is None:
            raise FileNotFoundError(name)
        return size

    def listdir(self, path):
        prefix = path.rstrip("/") + "/" if path else ""
        directories, files = set(), []
        for name in self._model().objects.filter(name__startswith=prefix).values_list("name", flat=True):
            rest = name[len(prefix) :]
            if "/" in rest:
                directories.add(rest.split("/", 1)[0])
            else:
                files.append(rest)
        return sorted(directories), sorted(files)

    def url(self, name):
        from django.conf import settings

        return settings.MEDIA_URL + name  # read back through the storage (portal.pdf), never served as is

    def get_created_time(self, name):
        created = self._model().objects.filter(name=name).values_list("created_at", flat=True).first()
        if created is None:
            raise FileNotFoundError(name)
        return created

    get_modified_time = get_created_time
