"""Uploads and forms are stored together or not at all (issue 22, finding 3).

Every page where files and typed fields meet validates every form and every file first and stores them
in one transaction (``portal.uploads.stored_files``): a POST with one valid and one invalid file stores
nothing (no row, no file in MEDIA_ROOT, which is a tmp path here), keeps what was typed and names the
refused file; a correct resubmit stores exactly one copy; a failure after the files were written leaves
no file behind. A one-file checklist item uploaded again replaces its file (issue 21 item 11).

The places: the filing application's checklist, the publicity objection and the complaint form
(filings); the plan's roster, score sheet and candidate photo (certification); the certificate photo,
the batch's photo snapshots and seal (certificates). The eligibility roster check stores no file.
"""

from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from filings.constants import State
from filings.models import Attachment, Filing
from tests.filings.factories import PDF_BYTES, FilingFactory, in_state
from tests.hardening.test_bad_input_uploads import draft_post, jpeg_bytes, png_bytes

pytestmark = pytest.mark.django_db


def media_files(settings) -> list[str]:
    """Every file under the test's MEDIA_ROOT, relative and sorted."""
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return []
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


class Boom(RuntimeError):
    pass


def boom_on(event):
    """An audit.record that fails for ``event``: a later step failing after the files were written."""
    from portal import audit

    real = audit.record

    def record(name, *args, **kwargs):
        if name == event:
            raise Boom(name)
        return real(name, *args, **kwargs)

    return record


# --- The filing application --------------------------------------------------------------------------


@pytest.fixture
def filing(alice):
    filing = FilingFactory(institution=alice.institution)  # no attachments yet: MEDIA_ROOT is empty
    assert filing.state == State.DRAFT
    return filing


def test_filing_one_valid_one_invalid_file_stores_nothing_and_keeps_the_typed_text(
    client, alice, filing, settings
):
    client.force_login(alice)
    url = reverse("filings:edit", args=[filing.pk])
    response = client.post(
        url,
        draft_post(
            filing,
            **{
                "f-name": "新名称有限公司",
                "att_y2_licence": upload("营业执照.pdf", PDF_BYTES),
                "att_y3_rules": upload("实施办法.pdf", png_bytes()),
            },
        ),
    )
    assert response.status_code == 200
    assert not Attachment.objects.filter(filing=filing).exists()
    assert media_files(settings) == []
    filing.refresh_from_db()
    assert filing.name != "新名称有限公司"  # nothing stored ...
    text = response.content.decode()
    assert 'value="新名称有限公司"' in text  # ... and nothing lost: the typed text is in the form
    # Which file was refused and why, at the message and at the field; the valid one must be re-selected.
    assert "“实施办法.pdf”" in text and "与文件内容（PNG）不符" in text
    assert 'data-testid="att-error-y3_rules"' in text
    assert "营业执照.pdf" in text and "重新选择" in text

    response = client.post(
        url,
        draft_post(
            filing,
            **{
                "f-name": "新名称有限公司",
                "att_y2_licence": upload("营业执照.pdf", PDF_BYTES),
                "att_y3_rules": upload("实施办法.pdf", PDF_BYTES),
            },
        ),
    )
    assert response.status_code == 302
    assert sorted(Attachment.objects.filter(filing=filing).values_list("item", flat=True)) == [
        "y2_licence",
        "y3_rules",
    ]
    assert len(media_files(settings)) == 2
    filing.refresh_from_db()
    assert filing.name == "新名称有限公司"


def test_filing_failure_after_the_files_were_written_leaves_none(
    client, alice, filing, settings, monkeypatch
):
    monkeypatch.setattr("portal.audit.record", boom_on("filing_saved"))
    client.force_login(alice)
    with pytest.raises(Boom):
        client.post(
            reverse("filings:edit", args=[filing.pk]),
            draft_post(filing, **{"att_y2_licence": upload("营业执照.pdf", PDF_BYTES)}),
        )
    assert not Attachment.objects.filter(filing=filing).exists()
    assert media_files(settings) == []


def test_one_file_item_uploaded_again_replaces_its_file(
    client, alice, filing, settings, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    url = reverse("filings:edit", args=[filing.pk])
    for name in ("执照-旧.pdf", "执照-新.pdf"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, draft_post(filing, **{"att_y2_licence": upload(name, PDF_BYTES)}))
        assert response.status_code == 302
        filing.refresh_from_db()
    assert list(filing.attachments.values_list("item", "original_name")) == [("y2_licence", "执照-新.pdf")]
    assert media_files(settings) == [filing.attachments.get().file.name]
    # A collecting item keeps both.
    for name in ("办法.pdf", "质量管控措施.pdf"):
        client.post(url, draft_post(filing, **{"att_y3_rules": upload(name, PDF_BYTES)}))
        filing.refresh_from_db()
    assert filing.attachments.filter(item="y3_rules").count() == 2


def test_objection_failing_after_its_file_was_written_leaves_none(client, settings, monkeypatch):
    from filings import workflow

    cache.clear()
    filing = in_state(State.IN_PUBLICITY)
    before = media_files(settings)

    def refused(*args, **kwargs):
        raise workflow.WorkflowError("公示期已结束。")

    monkeypatch.setattr(workflow, "raise_objection", refused)
    response = client.post(
        reverse("filings:objection", args=[filing.pk]),
        {
            "name": "王五",
            "contact": "13800000000",
            "text": "人员不实。",
            "attachment": upload("证据.pdf", PDF_BYTES),
        },
    )
    assert response.status_code == 302
    assert media_files(settings) == before


def test_complaint_failing_after_its_file_was_written_leaves_none(client, settings, monkeypatch):
    from filings.models import Complaint

    cache.clear()
    filed = in_state(State.FILED)
    before = media_files(settings)
    monkeypatch.setattr("portal.audit.record", boom_on("complaint_received"))
    with pytest.raises(Boom):
        client.post(
            reverse("filings:complaint_new"),
            {
                "name": "王五",
                "contact": "13800000000",
                "filing": str(filed.pk),
                "text": "考核现场有代考。",
                "attachment": upload("证据.pdf", PDF_BYTES),
            },
        )
    assert not Complaint.objects.exists()
    assert media_files(settings) == before


# --- Certification: roster, score sheet, candidate photo ---------------------------------------------


@pytest.fixture
def plan(alice):
    from tests.certification.factories import PlanFactory, filed_institution

    filed_institution(alice.institution)
    return PlanFactory(institution=alice.institution)


def roster(*ids):
    from tests.certification.factories import roster_xlsx

    return roster_xlsx([(f"考生{n}", id_number, 4, 6) for n, id_number in enumerate(ids)])


def test_roster_refused_or_failing_stores_nothing_and_a_resubmit_one_copy(
    client, alice, plan, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from tests.certification.factories import person_id

    client.force_login(alice)
    url = reverse("certification:roster_upload", args=[plan.pk])
    before = media_files(settings)
    response = client.post(url, {"file": upload("名册.xlsx", PDF_BYTES)}, follow=True)
    assert "文件内容不是允许的格式" in response.content.decode()
    assert media_files(settings) == before and not plan.candidates.exists()

    with monkeypatch.context() as patch:
        patch.setattr("portal.audit.record", boom_on("certification_roster_uploaded"))
        with pytest.raises(Boom):
            client.post(url, {"file": upload("名册.xlsx", roster(person_id(1)))})
    assert media_files(settings) == before and not plan.candidates.exists()

    for ids in ((person_id(1),), (person_id(1), person_id(2))):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(url, {"file": upload("名册.xlsx", roster(*ids))})
    plan.refresh_from_db()
    assert plan.candidates.count() == 2
    # The second upload replaced the first: one roster file in storage, the plan's.
    assert [f for f in media_files(settings) if f not in before] == [plan.roster_file.name]


def test_score_sheet_failing_after_it_was_written_leaves_none(client, alice, settings, monkeypatch):
    from tests.certification.factories import CandidateFactory, PlanFactory, filed_institution, scores_xlsx

    filed_institution(alice.institution)
    plan = PlanFactory(institution=alice.institution, approved=True)
    candidate = CandidateFactory(plan=plan)
    client.force_login(alice)
    before = media_files(settings)
    monkeypatch.setattr("portal.audit.record", boom_on("certification_scores_uploaded"))
    with pytest.raises(Boom):
        client.post(
            reverse("certification:scores_upload", args=[plan.pk]),
            {"file": upload("成绩.xlsx", scores_xlsx([(candidate.id_number, 80, 75)]))},
        )
    assert media_files(settings) == before
    candidate.refresh_from_db()
    assert candidate.theory_score is None


def test_candidate_photo_failing_or_replaced_keeps_one_file(
    client, alice, plan, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from certification.models import Candidate
    from tests.certification.factories import CandidateFactory

    candidate = CandidateFactory(plan=plan)
    client.force_login(alice)
    url = reverse("certification:candidate_photo", args=[plan.pk, candidate.pk])
    before = media_files(settings)
    with monkeypatch.context() as patch:

        def failing_save(self, *args, **kwargs):
            raise Boom("save")

        patch.setattr(Candidate, "save", failing_save)
        with pytest.raises(Boom):
            client.post(url, {"photo": upload("照片.jpg", jpeg_bytes())})
    assert media_files(settings) == before
    for _attempt in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(url, {"photo": upload("照片.jpg", jpeg_bytes())})
    candidate.refresh_from_db()
    assert [f for f in media_files(settings) if f not in before] == [candidate.photo.name]


# --- Certificates: photo snapshots, seal, the certificate photo --------------------------------------


def test_batch_failing_after_its_snapshots_were_written_leaves_none(settings, monkeypatch):
    from certificates.models import IssuanceItem
    from tests.certificates.factories import OccupationFactory, batch, candidate, photo_bytes

    chef = OccupationFactory(chef=True)

    def failing_bulk_create(*args, **kwargs):
        raise Boom("bulk_create")

    monkeypatch.setattr(IssuanceItem.objects, "bulk_create", failing_bulk_create)
    with pytest.raises(Boom):
        batch(candidates=[candidate(0, chef), candidate(1, chef)], seal=photo_bytes("PNG"))
    assert media_files(settings) == []


@pytest.mark.parametrize("failure", ["crash", "serial_exhausted"])
def test_issuing_failing_after_the_photo_was_stored_leaves_none(settings, monkeypatch, failure):
    from certificates import issuance
    from certificates.allocation import SerialExhausted
    from certificates.models import Certificate
    from tests.certificates.factories import OccupationFactory, batch, candidate

    chef = OccupationFactory(chef=True)
    b = batch(candidates=[candidate(0, chef)])
    snapshots = media_files(settings)
    assert len(snapshots) == 1  # the photo handed over as bytes

    def failing_allocation(*args, **kwargs):
        raise Boom("allocate") if failure == "crash" else SerialExhausted("serial: none left")

    monkeypatch.setattr(issuance, "allocate_code", failing_allocation)
    if failure == "crash":
        with pytest.raises(Boom):
            issuance.issue_next_item(b)
    else:
        assert issuance.issue_next_item(b)
    assert not Certificate.objects.exists()
    assert media_files(settings) == snapshots  # no normalised certificate photo left behind


# --- Eligibility: the roster check stores no file ------------------------------------------------------


def test_eligibility_roster_check_stores_no_file(client, carol, settings):
    from tests.certification.factories import person_id

    client.force_login(carol)
    response = client.post(reverse("eligibility:roster"), {"file": upload("名册.xlsx", roster(person_id(1)))})
    assert response.status_code == 200
    assert media_files(settings) == []


def test_stored_files_deletes_what_it_wrote_when_the_block_raises(settings):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from portal.uploads import stored_files

    with pytest.raises(Boom), stored_files() as files:
        kept = files.save("t/a.txt", ContentFile(b"a"))
        assert default_storage.exists(kept)
        Filing.objects.filter(pk=0).update(name="x")
        raise Boom("later step")
    assert media_files(settings) == []
    with stored_files() as files:
        name = files.save("t/b.txt", ContentFile(b"b"))
    assert media_files(settings) == [name]
