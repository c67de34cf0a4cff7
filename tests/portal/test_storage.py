"""Issue 41: files in PostgreSQL for hosts without a shared disk (FILE_STORAGE=database, portal/storage.py),
PDFs reading their images through the storage, and `manage.py move_files` copying between the two."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from PIL import Image
from pypdf import PdfReader

from portal.models import StoredFile
from portal.pdf import html_to_pdf
from portal.storage import DatabaseStorage

pytestmark = pytest.mark.django_db
DATABASE = {"BACKEND": "portal.storage.DatabaseStorage"}


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 50), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def in_database(settings):
    settings.STORAGES = {**settings.STORAGES, "default": DATABASE}
    return DatabaseStorage()


def test_the_storage_api(in_database):
    storage = in_database
    name = storage.save("certification/photos/a.png", ContentFile(b"first"))
    assert name == "certification/photos/a.png" and storage.exists(name) and storage.size(name) == 5
    other = storage.save("certification/photos/a.png", ContentFile(b"second"))
    assert other != name and other.startswith("certification/photos/a_")  # never overwritten
    with storage.open(name) as stored:
        assert stored.read() == b"first"
    assert storage.listdir("certification") == (["photos"], [])
    assert storage.listdir("certification/photos")[1] == sorted(
        [name.rsplit("/", 1)[1], other.rsplit("/", 1)[1]]
    )
    storage.delete(name)
    assert not storage.exists(name) and StoredFile.objects.count() == 1
    with pytest.raises(FileNotFoundError):
        storage.open(name)


def test_the_setting_makes_it_the_default(in_database):
    name = default_storage.save("seals/s.png", ContentFile(png()))
    assert StoredFile.objects.filter(name=name).exists()


def test_a_pdf_reads_its_image_through_the_storage(in_database):
    name = default_storage.save("seals/s.png", ContentFile(png()))
    pdf = html_to_pdf(f'<p>印章</p><img src="/media/{name}" style="width:20mm">')
    images = [image for page in PdfReader(io.BytesIO(pdf)).pages for image in page.images]
    assert len(images) == 1
    outside = html_to_pdf('<p>x</p><img src="/media/../portal/settings.py"><img src="/media//etc/passwd">')
    assert [image for page in PdfReader(io.BytesIO(outside)).pages for image in page.images] == []


def test_move_files_both_ways(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "filings" / "2026").mkdir(parents=True)
    (tmp_path / "filings" / "2026" / "a.pdf").write_bytes(b"%PDF-1.7 a")
    (tmp_path / "photo.png").write_bytes(png())
    out = io.StringIO()
    call_command("move_files", "--to", "database", stdout=out)
    assert "2 files: 2 copied to database" in out.getvalue()
    assert bytes(StoredFile.objects.get(name="filings/2026/a.pdf").content) == b"%PDF-1.7 a"
    again = io.StringIO()
    call_command("move_files", "--to", "database", stdout=again)
    assert "0 copied to database, 2 already there" in again.getvalue()
    for path in (tmp_path / "filings" / "2026" / "a.pdf", tmp_path / "photo.png"):
        path.unlink()
    back = io.StringIO()
    call_command("move_files", "--to", "local", stdout=back)
    assert "2 copied to local" in back.getvalue()
    assert (tmp_path / "filings" / "2026" / "a.pdf").read_bytes() == b"%PDF-1.7 a"
    assert (tmp_path / "photo.png").read_bytes() == png()
