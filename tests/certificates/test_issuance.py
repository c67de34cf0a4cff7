"""Issuance in batches: order of serials, idempotence per candidate, refusals with reasons."""

import datetime

import pytest
import time_machine
from django.core.files.storage import default_storage
from PIL import Image

from certificates import issuance
from certificates.allocation import SerialExhausted, allocate_code
from certificates.models import Certificate, CertificateSerialCounter, IssuanceBatch, IssuanceItem
from portal.models import AuditEvent
from tests.certificates.factories import OccupationFactory, batch, candidate, photo_bytes
from tests.portal.factories import InstitutionFactory

pytestmark = pytest.mark.django_db

ISSUE_DAY = datetime.date(2026, 5, 12)


@pytest.fixture
def chef(db):
    return OccupationFactory(chef=True)


@pytest.fixture
def welder(db):
    return OccupationFactory(welder=True)


def run(b):
    return issuance.run_batch(b.pk)


def test_batch_issues_serials_in_order_and_finishes(chef, alice):
    b = batch(alice.institution, [candidate(n, chef) for n in range(3)], actor=alice, issue_date=ISSUE_DAY)
    assert b.status == IssuanceBatch.Status.PENDING and b.total == 3
    result = run(b)
    b.refresh_from_db()
    assert result["issued"] == 3 and b.status == IssuanceBatch.Status.FINISHED
    codes = list(b.items.order_by("position").values_list("certificate__code", flat=True))
    assert codes == ["S000012011001263000001", "S000012011001263000002", "S000012011001263000003"]
    certificate = Certificate.objects.get(code=codes[0])
    assert certificate.institution_name == alice.institution.name
    assert certificate.issue_date == ISSUE_DAY and certificate.year == 2026
    assert certificate.work_type == "——"  # no work type: printed as a dash (DOMAIN.md)
    assert certificate.occupation_code == "4-03-02-01" and certificate.occupation_name == "中式烹调师"
    assert certificate.source_key == "test.candidate:0"
    assert b.pdf and default_storage.exists(b.pdf.name)
    assert AuditEvent.objects.filter(event="certificate_issued").count() == 3
    assert AuditEvent.objects.filter(event="certificate_batch_finished").count() == 1


def test_serial_runs_per_level_and_per_year(chef, welder):
    institution = InstitutionFactory()
    scope = {("4-03-02-01", 3), ("4-03-02-01", 4), ("6-18-02-04", 3)}
    people = [
        candidate(0, chef, 3),
        candidate(1, chef, 4),
        candidate(2, welder, 3, work_type="电焊工"),
        candidate(3, chef, 4),
    ]
    run(batch(institution, people, scope=scope, issue_date=ISSUE_DAY))
    by_key = dict(Certificate.objects.values_list("source_key", "code"))
    assert by_key["test.candidate:0"] == "S000012011001263000001"
    assert by_key["test.candidate:1"] == "S000012011001264000001"  # level 4 starts its own serials
    assert by_key["test.candidate:2"] == "S000012011001263000002"  # same institution/year/level 3
    assert by_key["test.candidate:3"] == "S000012011001264000002"
    run(batch(institution, [candidate(9, chef, 3)], scope=scope, issue_date=datetime.date(2027, 1, 4)))
    assert (
        Certificate.objects.get(source_key="test.candidate:9").code == "S000012011001273000001"
    )  # 2027 restarts


def test_other_institution_prefix_has_its_own_serials(chef):
    run(batch(candidates=[candidate(0, chef)], issue_date=ISSUE_DAY))
    run(batch(candidates=[candidate(1, chef)], prefix=("Y", "0001", "21", "014001"), issue_date=ISSUE_DAY))
    assert Certificate.objects.get(source_key="test.candidate:1").code == "Y000121014001263000001"


def test_issue_date_defaults_to_today(chef):
    with time_machine.travel(
        datetime.datetime(2026, 12, 31, 20, 0, tzinfo=datetime.UTC)
    ):  # 1 Jan 2027 in Tianjin
        b = batch(candidates=[candidate(0, chef)], issue_date=None)
        run(b)
    assert Certificate.objects.get().code[13:15] == "27"


def test_running_again_gives_nobody_a_second_certificate(chef):
    b = batch(candidates=[candidate(n, chef) for n in range(4)])
    run(b)
    run(b)
    issuance.issue_next_item(b)
    assert Certificate.objects.count() == 4
    again = batch(candidates=[candidate(1, chef), candidate(7, chef)])
    result = run(again)
    assert result["existing"] == 1 and result["issued"] == 1
    item = again.items.get(source_key="test.candidate:1")
    assert item.status == IssuanceItem.Status.EXISTING
    assert item.certificate == Certificate.objects.get(source_key="test.candidate:1")
    assert Certificate.objects.count() == 5
    assert CertificateSerialCounter.objects.get().last_serial == 5


def test_resume_after_partial_run(chef):
    b = batch(candidates=[candidate(n, chef) for n in range(5)])
    assert issuance.issue_next_item(b) and issuance.issue_next_item(b)  # a worker died after two
    b.refresh_from_db()
    assert b.issued_count == 2 and b.status == IssuanceBatch.Status.PENDING
    run(b)
    b.refresh_from_db()
    assert b.issued_count == 5 and b.status == IssuanceBatch.Status.FINISHED
    serials = sorted(Certificate.objects.values_list("serial", flat=True))
    assert serials == [1, 2, 3, 4, 5]


def test_outside_filed_scope_refused(chef, welder):
    scope = {("4-03-02-01", 4)}  # filed: 中式烹调师 level 4 only
    people = [candidate(0, chef, 4), candidate(1, chef, 3), candidate(2, welder, 4)]
    b = batch(candidates=people, scope=scope)
    refused = b.items.filter(status=IssuanceItem.Status.REFUSED).order_by("position")
    assert [i.source_key for i in refused] == ["test.candidate:1", "test.candidate:2"]
    assert "4-03-02-01 中式烹调师 3级不在本机构备案的职业（工种）和等级范围内" in refused[0].reason
    assert "6-18-02-04" in refused[1].reason
    assert b.refused_count == 2
    run(b)
    b.refresh_from_db()
    assert list(Certificate.objects.values_list("source_key", flat=True)) == ["test.candidate:0"]
    assert b.issued_count == 1 and b.refused_count == 2 and b.done_count == 3 and b.percent == 100


def test_unverified_candidate_refused(chef):
    b = batch(candidates=[candidate(0, chef, verified_passing=False)])
    item = b.items.get()
    assert item.status == IssuanceItem.Status.REFUSED and "尚未核验通过" in item.reason
    run(b)
    assert not Certificate.objects.exists()


@pytest.mark.parametrize(
    "overrides, reason",
    [
        ({"id_number": "120101199001010001"}, "校验位"),
        ({"sex": "X"}, "性别"),
        ({"name": " "}, "姓名"),
        ({"photo": None}, "照片"),
        ({"level": 0}, "1-5"),
        ({"level": 6}, "1-5"),
        ({"work_type": "厨师"}, "工种"),
    ],
)
def test_bad_candidate_data_refused(chef, welder, overrides, reason):
    occupation = welder if "work_type" in overrides else chef
    b = batch(
        candidates=[candidate(0, occupation, **overrides)], scope={(occupation.code, n) for n in range(0, 7)}
    )
    item = b.items.get()
    assert item.status == IssuanceItem.Status.REFUSED and reason in item.reason


def test_access_type_occupation_refused():
    occupation = OccupationFactory(access=True)
    b = batch(candidates=[candidate(0, occupation)])
    assert "准入类" in b.items.get().reason


def test_same_candidate_twice_in_one_batch(chef):
    b = batch(candidates=[candidate(0, chef), candidate(0, chef)])
    assert list(b.items.values_list("status", flat=True)) == ["pending", "refused"]


def test_broken_photo_refused_when_issuing(chef):
    b = batch(
        candidates=[candidate(0, chef, photo=b"\xff\xd8\xff broken"), candidate(1, chef, photo=b"GIF89a...")]
    )
    run(b)
    reasons = list(b.items.order_by("position").values_list("reason", flat=True))
    assert "损坏" in reasons[0] and "JPG 或 PNG" in reasons[1]
    assert (
        not Certificate.objects.exists()
        and not CertificateSerialCounter.objects.filter(last_serial__gt=0).exists()
    )


def test_photo_is_white_backed_and_cropped_to_two_inch_ratio(chef):
    wide_transparent = photo_bytes("PNG", size=(800, 400), transparent=True)
    run(batch(candidates=[candidate(0, chef, photo=wide_transparent)]))
    certificate = Certificate.objects.get()
    with default_storage.open(certificate.photo.name) as handle, Image.open(handle) as image:
        assert image.format == "JPEG" and image.size == (413, 579)  # 35 x 49 mm at 300 dpi
        assert image.getpixel((2, 2)) >= (250, 250, 250)  # transparency printed white


def test_photo_given_as_stored_file(chef):
    name = default_storage.save("certification/photos/p.png", __import__("io").BytesIO(photo_bytes("PNG")))
    run(batch(candidates=[candidate(0, chef, photo=name)]))
    assert Certificate.objects.get().photo.name.startswith("certificates/photos/")


def test_bad_prefix_or_name_refused(chef):
    with pytest.raises(ValueError, match="^province:"):
        batch(candidates=[candidate(0, chef)], prefix=("S", "0000", "99", "011001"))
    with pytest.raises(ValueError, match="^institution_name:"):
        batch(candidates=[candidate(0, chef)], institution_name=" ")


def test_serial_past_999999_refused_clearly(chef):
    institution = InstitutionFactory()
    CertificateSerialCounter.objects.create(
        kind="S",
        route="0000",
        province="12",
        institution_seq="011001",
        year=2026,
        level=3,
        last_serial=999_998,
    )
    b = batch(institution, [candidate(0, chef), candidate(1, chef)], issue_date=ISSUE_DAY)
    run(b)
    items = list(b.items.order_by("position"))
    assert items[0].certificate.code == "S000012011001263999999"  # the last serial is still issued
    assert items[1].status == IssuanceItem.Status.REFUSED and "000001-999999 已全部使用" in items[1].reason
    assert CertificateSerialCounter.objects.get().last_serial == 999_999


def test_allocate_code_bounds():
    from django.db import transaction

    CertificateSerialCounter.objects.create(
        kind="Y",
        route="0000",
        province="12",
        institution_seq="000001",
        year=2026,
        level=5,
        last_serial=999_998,
    )
    with transaction.atomic():
        assert allocate_code(("Y", "0000", "12", "000001"), 2026, 5).serial == 999_999
    with pytest.raises(SerialExhausted, match="^serial:"), transaction.atomic():
        allocate_code(("Y", "0000", "12", "000001"), 2026, 5)


def test_allocation_rolled_back_gives_the_serial_back():
    from django.db import transaction

    prefix = ("Y", "0000", "12", "000002")
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        allocate_code(prefix, 2026, 3)
        raise ZeroDivisionError("the certificate could not be stored")
    with transaction.atomic():
        assert allocate_code(prefix, 2026, 3).serial == 1


def test_create_batch_queues_the_run_after_commit(chef, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        b = batch(candidates=[candidate(0, chef)], start=True)
    assert callbacks  # the run is queued after commit (then the eager run adds its own clean-ups)
    b.refresh_from_db()
    assert b.status == IssuanceBatch.Status.FINISHED  # eager Celery in tests


def test_stale_batches_are_requeued(chef, monkeypatch):
    queued = []
    monkeypatch.setattr(issuance, "enqueue", queued.append)
    with time_machine.travel(datetime.datetime(2026, 5, 12, 2, 0, tzinfo=datetime.UTC)):
        old = batch(candidates=[candidate(0, chef)])
        finished = batch(candidates=[candidate(1, chef)])
        run(finished)
    with time_machine.travel(datetime.datetime(2026, 5, 12, 2, 9, 59, tzinfo=datetime.UTC)):
        assert issuance.requeue_stale_batches() == []  # 10 minutes not yet passed
    with time_machine.travel(datetime.datetime(2026, 5, 12, 2, 10, 1, tzinfo=datetime.UTC)):
        recent = batch(candidates=[candidate(2, chef)])
        assert issuance.requeue_stale_batches() == [old.pk]
    assert queued == [old.pk] and recent.pk not in queued


@pytest.mark.parametrize("given, expected", [("", "F"), ("男", "M"), ("F", "F"), ("M", "M")])
def test_sex_given_or_read_from_the_id_number(chef, given, expected):
    # id_number(0) = 120101199001010009: 17th digit 0 is even, a woman
    b = batch(candidates=[candidate(0, chef, sex=given)])
    assert b.items.get().sex == expected


def test_sex_blank_and_id_number_male(chef):
    b = batch(candidates=[candidate(1, chef, sex="")])  # ...0017: 17th digit 1 is odd, a man
    assert b.items.get().sex == "M"


def test_photo_snapshots_removed_once_issued(chef, django_capture_on_commit_callbacks):
    b = batch(candidates=[candidate(0, chef), candidate(1, chef, verified_passing=False)])
    snapshot = b.items.get(position=1).photo.name
    assert snapshot.startswith("certificates/uploads/") and default_storage.exists(snapshot)
    with django_capture_on_commit_callbacks(execute=True):
        run(b)
    assert not default_storage.exists(snapshot)
    assert default_storage.exists(Certificate.objects.get().photo.name)


def test_photo_given_by_name_is_not_removed(chef, django_capture_on_commit_callbacks):
    name = default_storage.save("certification/photos/q.jpg", __import__("io").BytesIO(photo_bytes()))
    with django_capture_on_commit_callbacks(execute=True):
        run(batch(candidates=[candidate(0, chef, photo=name)]))
    assert default_storage.exists(name)  # the issuing side's file is not ours to delete
