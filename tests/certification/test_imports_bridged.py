"""A roster re-upload keeps the rows put on the plan through the portal (``title_bridged``: a professional
accepted from their skill application, seed 002 附件2 三(四)2): they are not the file's to replace. A line
of the file naming such a person at the same level is left out, the portal's row stands."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from certification import imports
from certification.models import Candidate
from tests.certification.factories import (
    CandidateFactory,
    PlanFactory,
    filed_institution,
    person_id,
    roster_xlsx,
)

pytestmark = pytest.mark.django_db


def xlsx(data):
    return SimpleUploadedFile("r.xlsx", data, content_type="application/octet-stream")


@pytest.fixture
def plan(alice):
    filed_institution(alice.institution)
    return PlanFactory(institution=alice.institution, staffed=True, created_by=alice)


def rows(n, start=0):
    return [(f"考生{i}", person_id(1000 + i), 4, 6) for i in range(start, start + n)]


def test_a_re_upload_keeps_the_bridged_rows_after_the_files(plan, alice):
    assert imports.import_roster(plan, xlsx(roster_xlsx(rows(3))), alice).ok
    bridged = CandidateFactory(
        plan=plan,
        name="张工",
        id_number=person_id(77),
        level=4,
        row=9,
        title_bridged=True,
        clause="附件2 三(二)1",
    )

    result = imports.import_roster(plan, xlsx(roster_xlsx(rows(2, start=5))), alice)

    assert result.ok and result.count == 2 and result.kept == ["张工"] and result.duplicates == []
    names = list(Candidate.objects.filter(plan=plan).order_by("row").values_list("name", "title_bridged"))
    assert names == [("考生5", False), ("考生6", False), ("张工", True)]
    bridged.refresh_from_db()  # the same row (a skill application points at it), numbered after the file's
    assert bridged.row == 4 and bridged.clause == "附件2 三(二)1"


def test_the_files_line_for_a_bridged_person_is_left_out(plan, alice):
    CandidateFactory(plan=plan, name="张工", id_number=person_id(77), level=4, title_bridged=True)
    file_rows = rows(1) + [("张工", person_id(77), 4, 6)]

    result = imports.import_roster(plan, xlsx(roster_xlsx(file_rows)), alice)

    assert result.ok and result.count == 1 and result.duplicates == [(3, "张工")]
    assert Candidate.objects.filter(plan=plan, id_number=person_id(77)).get().title_bridged is True
    assert Candidate.objects.filter(plan=plan).count() == 2


def test_a_file_with_errors_changes_nothing_and_keeps_the_bridged_rows(plan, alice):
    CandidateFactory(plan=plan, name="张工", id_number=person_id(77), level=4, title_bridged=True)
    result = imports.import_roster(plan, xlsx(roster_xlsx([("李四", "110", 4, 6)])), alice)
    assert not result.ok
    assert list(Candidate.objects.filter(plan=plan).values_list("name", flat=True)) == ["张工"]


def test_the_upload_page_says_the_bridged_rows_stay(plan, alice, client):
    client.force_login(alice)
    page = client.get(f"/certification/plans/{plan.pk}/")
    assert "经门户受理的职称贯通考生（免理论）会保留" in page.content.decode()


def test_the_clerk_is_told_which_rows_were_kept(plan, alice, client):
    from django.urls import reverse

    CandidateFactory(plan=plan, name="张工", id_number=person_id(77), level=4, title_bridged=True)
    client.force_login(alice)
    upload = xlsx(roster_xlsx(rows(1) + [("张工", person_id(77), 4, 6)]))
    page = client.post(reverse("certification:roster_upload", args=[plan.pk]), {"file": upload}, follow=True)
    body = page.content.decode()
    assert "经门户受理的职称贯通考生（张工）已保留在名册中" in body
    assert "第 3 行 张工 已经门户受理在名册中，该行未重复导入。" in body
