"""Seals (issue 39 item 2): an institution's seal is a change the centre approves, checked by content; the
certificate prints it over 评价机构（印章） (《关于开展技工院校职业技能等级认定工作的通知》附件6 layout), the filing
notice the centre's seal, the 职业资格证书 the bureau's."""

import io
import subprocess

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from certificates import plan_issuing, printing
from certificates.constants import FRAME_HEIGHT_MM, FRAME_WIDTH_MM
from certificates.models import IssuanceBatch
from certificates.seal_preview import preview_pdf
from certification.constants import Verification
from filings import documents, seals
from filings.models import Seal, SealOwner, SealState
from portal.models import AuditEvent, Notification
from tests.certificates.factories import CertificateFactory, photo_bytes
from tests.certification.factories import CandidateFactory, PlanFactory, filed_institution
from tests.portal.factories import UserFactory

from .factories_after import FiledFilingFactory
from .seal_images import lying_png, seal_png

pytestmark = pytest.mark.django_db


def upload(data=None, name="seal.png"):
    return SimpleUploadedFile(name, data if data is not None else seal_png(), content_type="image/png")


# --- the image check ----------------------------------------------------------------------------------


def test_a_red_round_seal_on_transparent_passes():
    assert seals.check_image(seal_png()) == (400, 400)


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (seal_png(colour=(20, 40, 200)), "印章须为红色"),
        (seal_png(colour=(30, 30, 30)), "印章须为红色"),
        (seal_png(background=(255, 255, 255, 255)), "背景须为透明"),
        (seal_png(mode="RGB"), "背景须为透明"),
        (b"%PDF-1.4 not an image", "不是 PNG 图片"),
        (photo_bytes("JPEG"), "不是 PNG 图片"),
        (lying_png((400, 400)), "已损坏或不完整"),
        (lying_png((60000, 60000)), "过大"),
    ],
)
def test_what_is_not_a_seal_is_refused_with_what_to_fix(data, says):
    with pytest.raises(seals.SealRefused, match=says):
        seals.check_image(data)


@pytest.mark.parametrize(
    ("size", "passes"),
    [
        ((299, 299), False),  # just under SEAL_MIN_SIDE
        ((300, 300), True),
        ((301, 301), True),
        ((1999, 1999), True),
        ((2000, 2000), True),  # SEAL_MAX_SIDE
        ((2001, 2001), False),
    ],
)
def test_the_size_limits(size, passes):
    if passes:
        assert seals.check_image(seal_png(size)) == size
    else:
        with pytest.raises(seals.SealRefused, match="过小" if size[0] < 300 else "过大"):
            seals.check_image(seal_png(size))


@pytest.mark.parametrize(
    ("size", "passes"),
    [
        ((400, 534), False),  # 0.749: just under SEAL_ASPECT_MIN (0.75)
        ((600, 800), True),  # 0.75
        ((800, 600), True),  # 4:3, an oval seal
        ((802, 600), False),  # just over 4:3
    ],
)
def test_the_proportions(size, passes):
    if passes:
        seals.check_image(seal_png(size))
    else:
        with pytest.raises(seals.SealRefused, match="比例不符"):
            seals.check_image(seal_png(size))


# --- the change and its decision ------------------------------------------------------------------------


def test_the_centre_approves_a_seal_and_the_institution_uses_it(alice, carol):
    assert seals.current(alice.institution) is None
    seal = seals.request_change(alice.institution, upload(), alice, "首次启用")
    assert seal.state == SealState.SUBMITTED and seals.current(alice.institution) is None
    assert Notification.objects.filter(user=carol, text__contains="申请变更证书印章").exists()
    with pytest.raises(seals.errors.PortalError, match="待审核"):
        seals.request_change(alice.institution, upload(), alice, "再次申请")
    seals.approve(seal, carol, "核对无误")
    seal.refresh_from_db()
    assert seal.state == SealState.APPROVED and seal.decided_by == carol
    assert seals.current(alice.institution) == seal
    events = list(AuditEvent.objects.filter(event__startswith="seal_change").values_list("event", flat=True))
    assert sorted(events) == ["seal_change_approved", "seal_change_requested"]
    assert Notification.objects.filter(user=alice, text__contains="审核通过").exists()

    newer = seals.request_change(alice.institution, upload(seal_png((500, 500))), alice, "印章更换")
    seals.refuse(newer, carol, "印文不清晰")
    assert seals.current(alice.institution) == seal  # a refused change leaves the seal in use
    assert Notification.objects.filter(user=alice, text__contains="印文不清晰").exists()


def test_who_may_ask_and_who_may_decide(alice, bob, carol, dave):
    with pytest.raises(seals.errors.NotPermitted):
        seals.request_change(alice.institution, upload(), bob, "冒用")
    with pytest.raises(seals.errors.PortalError, match="理由"):
        seals.request_change(alice.institution, upload(), alice, " ")
    with pytest.raises(seals.SealRefused):
        seals.request_change(alice.institution, upload(seal_png(colour=(0, 0, 200))), alice, "蓝色")
    assert not Seal.objects.exists()  # a refused image keeps nothing
    seal = seals.request_change(alice.institution, upload(), alice, "首次启用")
    with pytest.raises(seals.errors.PortalError):
        seals.approve(seal, dave)  # the bureau does not decide
    with pytest.raises(seals.errors.PortalError, match="理由"):
        seals.refuse(seal, carol, "")
    seal.refresh_from_db()
    assert seal.state == SealState.SUBMITTED


def test_office_seals_are_put_in_by_the_admin_only(carol):
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    with pytest.raises(seals.errors.NotPermitted):
        seals.install_office_seal(SealOwner.CENTRE, upload(), carol)
    centre = seals.install_office_seal(SealOwner.CENTRE, upload(), admin)
    assert seals.office(SealOwner.CENTRE) == centre and seals.office(SealOwner.BUREAU) is None
    assert AuditEvent.objects.filter(event="office_seal_installed").count() == 1


def test_the_pages(client, alice, bob, carol):
    client.force_login(alice)
    page = client.get(reverse("filings:my_seal"))
    assert 'data-testid="no-seal"' in page.content.decode()
    refused = client.post(
        reverse("filings:my_seal"), {"image": upload(seal_png(mode="RGB")), "reason": "首次启用"}
    )
    assert refused.status_code == 200 and "背景须为透明" in refused.content.decode()
    done = client.post(reverse("filings:my_seal"), {"image": upload(), "reason": "首次启用"})
    assert done.status_code == 302
    seal = Seal.objects.get()
    client.force_login(bob)
    assert client.get(reverse("filings:seal_image", args=[seal.pk])).status_code == 404
    client.force_login(carol)
    queue = client.get(reverse("filings:seal_queue")).content.decode()
    assert alice.institution.name in queue and f'data-testid="approve-{seal.pk}"' in queue
    assert client.post(reverse("filings:seal_act", args=[seal.pk, "approve"])).status_code == 302
    seal.refresh_from_db()
    assert seal.state == SealState.APPROVED


# --- where it prints --------------------------------------------------------------------------------------

DPI = 50
MM = DPI / 25.4


def red_box_mm(pdf: bytes, page=1):
    """The bounding box (left, top, right, bottom) in mm of the red pixels of one page, via pdftoppm."""
    png = subprocess.run(
        ["pdftoppm", "-png", "-r", str(DPI), "-f", str(page), "-l", str(page), "-"],
        input=pdf, capture_output=True, check=True, timeout=60,
    ).stdout  # fmt: skip
    image = Image.open(io.BytesIO(png)).convert("RGB")
    w, h = image.size
    pixels = image.load()
    red = [
        (x, y)
        for y in range(h)
        for x in range(w)
        if (p := pixels[x, y])[0] > 150 and p[0] - p[1] > 60 and p[0] - p[2] > 60
    ]
    assert red, "no red on the page"
    xs, ys = [x for x, _ in red], [y for _, y in red]
    return min(xs) / MM, min(ys) / MM, (max(xs) + 1) / MM, (max(ys) + 1) / MM


def test_the_certificate_prints_the_seal_over_the_issuer_line(alice, carol):
    """附件6: the seal box (40 mm) sits at the issuer block of the left half, over 评价机构（印章）: the frame is
    centred on A4 landscape (left (297 - 269) / 2 = 14 mm, top 11 mm), the issuer block 112 mm down the half
    with 16 mm margins, the seal 20 mm in from its right edge and 14 mm above it."""
    seal = seals.request_change(alice.institution, upload(), alice, "首次启用")
    seals.approve(seal, carol)
    certificate = CertificateFactory(institution=alice.institution)
    certificate.seal.name = seal.image.name
    certificate.save()
    pdf, _html = printing.render_certificates([certificate])
    left, top, right, bottom = red_box_mm(pdf)
    frame_left, frame_top = (297 - FRAME_WIDTH_MM) / 2, (210 - FRAME_HEIGHT_MM) / 2
    half = FRAME_WIDTH_MM / 2
    expected = (
        frame_left + half - 16 - 20 - 40,
        frame_top + 112 - 14,
        frame_left + half - 16 - 20,
        frame_top + 112 - 14 + 40,
    )
    for got, want in zip((left, top, right, bottom), expected, strict=True):
        assert abs(got - want) < 3, ((left, top, right, bottom), expected)
    assert right < frame_left + half  # the left half, where 评价机构（印章） is


def test_the_preview_is_a_sample_with_the_seal(alice, carol, client):
    seal = seals.request_change(alice.institution, upload(), alice, "首次启用")
    pdf = preview_pdf(seal)
    left, top, _right, _bottom = red_box_mm(pdf)
    assert 50 < left < 110 and 90 < top < 130
    client.force_login(alice)
    response = client.get(reverse("certificates:seal_preview", args=[seal.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    from pypdf import PdfReader

    assert "样张" in PdfReader(io.BytesIO(response.content)).pages[0].extract_text()


def test_the_filing_notice_prints_the_centres_seal():
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    filing = FiledFilingFactory()
    plain, _html = documents.notice_pdf(filing)
    with pytest.raises(AssertionError, match="no red"):
        red_box_mm(plain)
    seals.install_office_seal(SealOwner.CENTRE, upload(), admin)
    sealed, html = documents.notice_pdf(filing)
    assert 'class="seal"' in html
    _left, top, right, _bottom = red_box_mm(sealed)
    assert right > 150  # over the centre's name at the right of the page


def test_issuance_takes_the_seal_in_use(alice, carol, django_capture_on_commit_callbacks, settings):
    filed_institution(alice.institution, levels="34")
    plan = PlanFactory(institution=alice.institution, uploaded=True, levels=[4])
    CandidateFactory(
        plan=plan, name="甲一", verification=Verification.ACCEPTED, passed=True,
        photo=SimpleUploadedFile("p.png", photo_bytes("PNG")),
    )  # fmt: skip
    seal = seals.request_change(alice.institution, upload(), alice, "首次启用")
    seals.approve(seal, carol)
    settings.CELERY_TASK_ALWAYS_EAGER = True
    with django_capture_on_commit_callbacks(execute=True):
        batch = plan_issuing.issue(plan, alice)
    batch = IssuanceBatch.objects.get(pk=batch.pk)
    assert batch.seal.name
    certificate = batch.items.get().certificate
    assert certificate.seal.name
    with certificate.seal.open("rb") as stored:
        assert stored.read() == ContentFile(seal.image.open("rb").read()).read()


def test_a_truncated_seal_is_refused_even_after_weasyprint_let_pillow_pad_images(monkeypatch):
    """WeasyPrint sets Pillow's LOAD_TRUNCATED_IMAGES for the whole process; the check decodes without it."""
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    with pytest.raises(seals.SealRefused, match="已损坏或不完整"):
        seals.check_image(lying_png((400, 400)))
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # put back as it was
