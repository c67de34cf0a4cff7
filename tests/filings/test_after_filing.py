"""Change requests (seed 001 第十一条) and voluntary termination (第十三条)."""

from datetime import date

import pytest

from filings import after_filing, directory, institutions
from filings.constants import State
from filings.constants_after import ChangeKind, ChangeState, RenewalState
from filings.forms.after_filing import ChangeRequestForm
from filings.models import ChangeRequest, FilingPerson
from portal import audit, draws
from tests.portal.factories import OccupationFactory, UserFactory, id_number

from .factories_after import FiledFilingFactory

pytestmark = pytest.mark.django_db

ON = date(2026, 6, 1)


@pytest.fixture
def filed(alice):
    return FiledFilingFactory(institution=alice.institution)


@pytest.fixture
def experts(db):
    return [UserFactory(role="expert") for _ in range(4)]


def _panel_scores(change, total=85, recommend=True):
    change.refresh_from_db()
    for review in change.reviews.select_related("expert"):
        after_filing.score_change(
            change, review.expert, material=total, onsite=total, qa=total, opinion="意见", recommend=recommend
        )


def test_personnel_change_approved_by_staff(filed, alice, carol):
    change = after_filing.request_change(
        filed,
        alice,
        kind=ChangeKind.PERSONNEL,
        reason="新聘考评员",
        person_role="assessor",
        person_name="赵考评",
        person_id_number=id_number(901),
        person_title="高级考评员",
    )
    assert change.state == ChangeState.SUBMITTED
    assert not FilingPerson.objects.filter(name="赵考评").exists()  # not before approval
    after_filing.decide_change(change, carol, approve=True, comment="符合条件")
    change.refresh_from_db()
    assert change.state == ChangeState.APPLIED
    assessors = institutions.filed_personnel(alice.institution, "assessor")
    assert "赵考评" in [p.name for p in assessors]


def test_personnel_removal_and_invalid_id(filed, alice, carol):
    with pytest.raises(after_filing.WorkflowError, match="身份证"):
        after_filing.request_change(
            filed,
            alice,
            kind=ChangeKind.PERSONNEL,
            reason="x",
            person_role="expert",
            person_name="钱",
            person_id_number="120101198001010000",
        )
    person = filed.people.get(role="supervisor")
    change = after_filing.request_change(
        filed, alice, kind=ChangeKind.PERSONNEL, action="remove", reason="离职", removed_person=person
    )
    assert change.removed_names == f"{person.get_role_display()} {person.name}"
    after_filing.decide_change(change, carol, approve=True)
    assert not FilingPerson.objects.filter(pk=person.pk).exists()
    change.refresh_from_db()
    assert change.removed_person is None and person.name in change.removed_names  # still named


def test_site_and_equipment_changes(filed, alice, carol):
    site = after_filing.request_change(
        filed, alice, kind=ChangeKind.SITE, reason="搬迁", site_description="新基地"
    )
    equipment = after_filing.request_change(
        filed, alice, kind=ChangeKind.EQUIPMENT, reason="新增", equipment_name="焊机", equipment_quantity=10
    )
    after_filing.decide_change(site, carol, approve=True)
    after_filing.reject_change(equipment, carol, "证明材料不全")
    filed.refresh_from_db()
    assert filed.site_description == "新基地"
    assert not filed.equipment.filter(name="焊机").exists()
    equipment.refresh_from_db()
    assert equipment.state == ChangeState.REJECTED


def test_added_occupation_goes_back_to_evaluation_and_scope_grows_only_once_filed(
    filed, alice, carol, dave, experts
):
    before = institutions.filed_scope(alice.institution, ON)
    new = OccupationFactory(code="6-18-01-01", name="车工", standard_year=2018)
    change = after_filing.request_change(
        filed, alice, kind=ChangeKind.SCOPE, reason="新增职业", occupation=new, levels="43"
    )
    assert change.levels == "34"
    # the centre cannot simply approve it: it must be evaluated again
    with pytest.raises(after_filing.WorkflowError, match="重新评估"):
        after_filing.decide_change(change, carol, approve=True)
    after_filing.start_change_evaluation(change, carol, seed="fixed-seed")
    change.refresh_from_db()
    assert change.state == ChangeState.UNDER_EVALUATION and len(change.drawn_experts) == 3

    assert change.drawn_experts == draws.draw(change.draw_pool, 3, "fixed-seed")
    assert institutions.filed_scope(alice.institution, ON) == before
    with pytest.raises(after_filing.WorkflowError, match="不足"):
        after_filing.conclude_change_evaluation(change, carol, opinion="太早", recommend=True)
    _panel_scores(change, 85)
    after_filing.conclude_change_evaluation(change, carol, opinion="条件具备", recommend=True)
    change.refresh_from_db()
    assert change.evaluation_score == 85
    assert institutions.filed_scope(alice.institution, ON) == before
    with pytest.raises(after_filing.NotPermitted):
        after_filing.approve_change(change, carol)  # the bureau approves
    after_filing.approve_change(change, dave, "同意")
    assert institutions.filed_scope(alice.institution, ON) == before
    after_filing.record_change(change, carol)
    after = institutions.filed_scope(alice.institution, ON)
    assert after == before | {("6-18-01-01", 3), ("6-18-01-01", 4)}


def test_added_levels_merge_into_the_existing_row(filed, alice, carol, dave, experts):
    row = filed.occupations.get()
    change = after_filing.request_change(
        filed, alice, kind=ChangeKind.SCOPE, reason="增加二级", occupation=row.occupation, levels="2"
    )
    after_filing.start_change_evaluation(change, carol)
    _panel_scores(change, 90)
    after_filing.conclude_change_evaluation(change, carol, opinion="ok", recommend=True)
    after_filing.approve_change(change, dave)
    after_filing.record_change(change, carol)
    row.refresh_from_db()
    assert row.levels == "2345"
    assert filed.occupations.count() == 1


def test_scope_already_filed_or_access_type_refused(filed, alice):
    row = filed.occupations.get()
    with pytest.raises(after_filing.WorkflowError, match="已在备案范围"):
        after_filing.request_change(
            filed, alice, kind=ChangeKind.SCOPE, reason="x", occupation=row.occupation, levels="34"
        )
    access = OccupationFactory(code="4-99-99-99", access_type=True, standard_year=2018)
    with pytest.raises(after_filing.WorkflowError, match="准入类"):
        after_filing.request_change(
            filed, alice, kind=ChangeKind.SCOPE, reason="x", occupation=access, levels="3"
        )


def test_failed_evaluation_leaves_scope_unchanged(filed, alice, carol, experts):
    new = OccupationFactory(standard_year=2018)
    change = after_filing.request_change(
        filed, alice, kind=ChangeKind.SCOPE, reason="x", occupation=new, levels="5"
    )
    after_filing.start_change_evaluation(change, carol)
    _panel_scores(change, 40, recommend=False)
    after_filing.conclude_change_evaluation(change, carol, opinion="条件不足", recommend=False)
    change.refresh_from_db()
    assert change.state == ChangeState.REJECTED and change.evaluation_score == 40
    assert (new.code, 5) not in institutions.filed_scope(alice.institution, ON)


def test_only_own_institution_requests_and_only_filed(filed, bob, carol, alice):
    for user in (bob, carol):
        with pytest.raises(after_filing.NotPermitted):
            after_filing.request_change(filed, user, kind=ChangeKind.SITE, reason="x", site_description="y")
    other = FiledFilingFactory(institution=alice.institution, state=State.CANCELLED)
    with pytest.raises(after_filing.WorkflowError, match="已注销"):
        after_filing.request_change(other, alice, kind=ChangeKind.SITE, reason="x", site_description="y")


def test_two_staff_deciding_at_once_one_wins(filed, alice, carol):
    change = after_filing.request_change(filed, alice, kind=ChangeKind.SITE, reason="x", site_description="y")
    stale = ChangeRequest.objects.get(pk=change.pk)
    after_filing.decide_change(change, carol, approve=True)
    with pytest.raises(after_filing.workflow.StaleFiling):
        after_filing.reject_change(stale, carol, "晚了")


def test_change_views(client, filed, alice, bob, carol):
    client.force_login(alice)
    url = f"/filings/after/filing/{filed.pk}/change/"
    response = client.post(url, {"kind": "personnel", "action": "add", "reason": "新聘", "person_name": "孙"})
    assert response.status_code == 200  # missing role and ID number: the form keeps what was typed
    body = response.content.decode()
    assert "请选择人员类别" in body and 'value="孙"' in body
    response = client.post(
        url, {"kind": "site", "action": "add", "reason": "搬迁", "site_description": "新址"}
    )
    assert response.status_code == 302
    change = ChangeRequest.objects.get()
    client.force_login(bob)
    assert client.get(url).status_code == 404
    assert client.get(f"/filings/after/changes/{change.pk}/").status_code == 404
    client.force_login(alice)
    assert client.post(f"/filings/after/changes/{change.pk}/approve/").status_code == 404
    client.force_login(carol)
    client.post(f"/filings/after/changes/{change.pk}/approve/", {"comment": "ok"})
    change.refresh_from_db()
    assert change.state == ChangeState.APPLIED


def test_change_queue_constant_queries(client, carol, django_assert_max_num_queries):
    for _ in range(3):
        filing = FiledFilingFactory()
        ChangeRequest.objects.create(filing=filing, kind=ChangeKind.SITE, reason="x", site_description="y")
    client.force_login(carol)
    client.get("/filings/after/")
    with django_assert_max_num_queries(14):
        first = client.get("/filings/after/")
    for _ in range(10):
        filing = FiledFilingFactory()
        ChangeRequest.objects.create(filing=filing, kind=ChangeKind.SITE, reason="x", site_description="y")
    with django_assert_max_num_queries(14):
        second = client.get("/filings/after/")
    assert first.status_code == second.status_code == 200


def test_voluntary_termination(filed, alice, carol, bob):
    with pytest.raises(after_filing.NotPermitted):
        after_filing.request_termination(filed, bob, reason="x")
    after_filing.request_renewal(filed, alice, summary="x", on=filed.valid_until)
    term = after_filing.request_termination(filed, alice, reason="业务调整", follow_up="已报名考生转其他机构")
    with pytest.raises(after_filing.WorkflowError, match="已提交"):
        after_filing.request_termination(filed, alice, reason="again")
    with pytest.raises(after_filing.NotPermitted):
        after_filing.confirm_termination(term, alice)
    after_filing.confirm_termination(term, carol)
    filed.refresh_from_db()
    assert filed.state == State.CANCELLED
    assert filed.renewals.get().state == RenewalState.LAPSED
    assert institutions.current_filing(alice.institution) is None


def test_staff_institution_list(client, filed, alice, carol, dave):
    client.force_login(alice)
    assert client.get("/filings/after/institutions/").status_code == 404
    for user in (carol, dave):
        client.force_login(user)
        body = client.get("/filings/after/institutions/", {"q": filed.credit_code}).content.decode()
        assert filed.name in body


@pytest.mark.parametrize(
    "model",
    [
        "changerequest",
        "renewal",
        "terminationrequest",
        "sanction",
        "blacklistentry",
        "complaint",
        "inspection",
        "inspectiondraw",
        "renewalreminder",
        "changereview",
    ],
)
def test_admin_pages(admin_client, filed, model):
    assert admin_client.get(f"/admin/filings/{model}/", {"q": "x"}).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/filings/after/renewals/",
        "/filings/after/terminations/",
        "/filings/after/sanctions/",
        "/filings/after/supervision/",
        "/filings/after/institutions/",
    ],
)
def test_staff_queues_constant_queries(client, carol, url, django_assert_max_num_queries):
    from filings.models import Inspection, Renewal, Sanction, TerminationRequest

    def add(n):
        for _ in range(n):
            filing = FiledFilingFactory()
            Renewal.objects.create(
                filing=filing,
                summary="x",
                old_valid_until=filing.valid_until,
                requested_on=filing.valid_until,
            )
            TerminationRequest.objects.create(filing=filing, reason="x")
            Sanction.objects.create(filing=filing, kind="criticism", reason="x", decided_on=ON)
            Inspection.objects.create(
                filing=filing, method="onsite", inspected_on=ON, inspectors="甲", findings="x"
            )

    add(2)
    client.force_login(carol)
    client.get(url)
    with django_assert_max_num_queries(16) as few:
        assert client.get(url).status_code == 200
    add(8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_drawn_experts_score_in_the_portal(client, filed, alice, bob, carol, experts):
    new = OccupationFactory(standard_year=2018)
    change = after_filing.request_change(
        filed, alice, kind=ChangeKind.SCOPE, reason="x", occupation=new, levels="5"
    )
    after_filing.start_change_evaluation(change, carol, seed="s1")
    change.refresh_from_db()
    drawn = [u for u in experts if u.pk in change.drawn_experts]
    outsider = next(u for u in experts if u.pk not in change.drawn_experts)
    client.force_login(outsider)
    assert client.get(f"/filings/after/changes/{change.pk}/review/").status_code == 404
    with pytest.raises(after_filing.NotPermitted):
        after_filing.score_change(
            change, outsider, material=80, onsite=80, qa=80, opinion="x", recommend=True
        )
    client.force_login(bob)
    assert client.get(f"/filings/after/changes/{change.pk}/review/").status_code == 404
    for expert, points in zip(drawn, (70, 80, 90), strict=True):
        client.force_login(expert)
        assert filed.name in client.get("/filings/after/expert/").content.decode()
        response = client.post(
            f"/filings/after/changes/{change.pk}/review/",
            {"material": points, "onsite": points, "qa": points, "opinion": "可以", "recommend": "1"},
        )
        assert response.status_code == 302
    client.force_login(carol)
    page = client.get(f"/filings/after/changes/{change.pk}/").content.decode()
    assert 'data-testid="change-reviews"' in page
    client.post(f"/filings/after/changes/{change.pk}/conclude/", {"opinion": "条件具备", "recommend": "1"})
    change.refresh_from_db()
    assert change.state == ChangeState.EVALUATED and change.evaluation_score == 80


# -- issue 29 item 2: one personnel change adds several people ---------------------------------------


def test_one_personnel_change_adds_three_people_on_approval(filed, alice, carol):
    before = filed.people.filter(role="assessor").count()
    change = after_filing.request_change(
        filed,
        alice,
        kind=ChangeKind.PERSONNEL,
        reason="新聘考评员",
        person_role="assessor",
        person_name="甲考评",
        person_id_number=id_number(911),
        more_people=[
            {"role": "assessor", "name": "乙考评", "id_number": id_number(912)},
            {"role": "assessor", "name": "丙考评", "id_number": id_number(913), "title": "考评员"},
        ],
    )
    assert change.more_people.count() == 2
    assert filed.people.filter(role="assessor").count() == before  # nothing before approval
    after_filing.decide_change(change, carol, approve=True)
    names = {p.name for p in institutions.filed_personnel(alice.institution, "assessor")}
    assert {"甲考评", "乙考评", "丙考评"} <= names
    assert filed.people.filter(role="assessor").count() == before + 3


def test_further_people_are_checked_like_the_first(filed, alice):
    with pytest.raises(after_filing.WorkflowError, match="身份证"):
        after_filing.request_change(
            filed,
            alice,
            kind=ChangeKind.PERSONNEL,
            reason="x",
            person_role="assessor",
            person_name="甲",
            person_id_number=id_number(921),
            more_people=[{"role": "assessor", "name": "乙", "id_number": "120101198001010000"}],
        )
    with pytest.raises(after_filing.WorkflowError, match="重复"):
        after_filing.request_change(
            filed,
            alice,
            kind=ChangeKind.PERSONNEL,
            reason="x",
            person_role="assessor",
            person_name="甲",
            person_id_number=id_number(921),
            more_people=[{"role": "assessor", "name": "乙", "id_number": id_number(921)}],
        )
    assert not ChangeRequest.objects.exists()


def _rows(*rows, total=4):
    data = {"more-TOTAL_FORMS": str(total), "more-INITIAL_FORMS": "0"}
    data.update({"more-MIN_NUM_FORMS": "0", "more-MAX_NUM_FORMS": "1000"})
    for i, row in enumerate(rows):
        data.update({f"more-{i}-{k}": v for k, v in row.items()})
    return data


def test_the_change_form_adds_several_people_and_keeps_a_bad_row(client, filed, alice, carol):
    client.force_login(alice)
    url = f"/filings/after/filing/{filed.pk}/change/"
    page = client.get(url + "?kind=personnel&action=add").content.decode()
    assert 'name="more-0-name"' in page and 'name="more-TOTAL_FORMS"' in page
    first = {"kind": "personnel", "action": "add", "reason": "新聘"}
    first.update({"person_role": "assessor", "person_name": "甲", "person_id_number": id_number(931)})
    bad = _rows(
        {"role": "assessor", "name": "乙", "id_number": id_number(932)},
        {"role": "assessor", "name": "丙考评", "id_number": "11010119900101123X"},
    )
    response = client.post(url, {**first, **bad})
    assert response.status_code == 200
    body = response.content.decode()
    assert "身份证号码无效" in body and 'value="丙考评"' in body and 'value="11010119900101123X"' in body
    assert not ChangeRequest.objects.exists()
    good = _rows(
        {"role": "assessor", "name": "乙", "id_number": id_number(932)},
        {"role": "assessor", "name": "丙", "id_number": id_number(933)},
    )
    response = client.post(url, {**first, **good})
    assert response.status_code == 302
    change = ChangeRequest.objects.get()
    assert [p.name for p in change.more_people.all()] == ["乙", "丙"]
    after_filing.decide_change(change, carol, approve=True)
    assert {"甲", "乙", "丙"} <= set(filed.people.values_list("name", flat=True))


def test_the_change_form_shows_the_chosen_kind_only(client, filed, alice):
    """issue 29 item 10: the form showed the fields of all four kinds at once. Without JavaScript, the
    page first offers the kinds (links to ?kind=...), then shows that kind's fields only."""
    client.force_login(alice)
    url = f"/filings/after/filing/{filed.pk}/change/"
    first = client.get(url).content.decode()
    for kind in ChangeKind.values:
        assert f'href="?kind={kind}"' in first
    assert 'name="site_description"' not in first and 'name="person_name"' not in first
    page = client.get(url + "?kind=personnel").content.decode()
    assert 'name="person_name"' in page and 'name="removed_person"' in page and 'name="more-0-name"' in page
    for other in ("site_description", "equipment_name", "removed_equipment", "occupation", "levels"):
        assert f'name="{other}"' not in page, other
    assert 'type="hidden" name="kind" value="personnel"' in page
    site = client.get(url + "?kind=site").content.decode()
    assert 'name="site_description"' in site and 'name="person_name"' not in site
    assert 'name="equipment_name"' not in site and 'name="action"' not in site


def test_a_posted_kind_is_valid_with_the_other_kinds_blank(client, filed, alice):
    client.force_login(alice)
    url = f"/filings/after/filing/{filed.pk}/change/"
    response = client.post(
        url, {"kind": "site", "reason": "搬迁", "site_description": "新址：河西区某路 1 号"}
    )
    assert response.status_code == 302
    change = ChangeRequest.objects.get()
    assert change.kind == ChangeKind.SITE and change.site_description.startswith("新址")
    response = client.post(
        url,
        {
            "kind": "equipment",
            "action": "add",
            "reason": "新购",
            "equipment_name": "数控铣床",
            "equipment_quantity": "2",
            "person_id_number": "not checked: another kind's field",
        },
    )
    assert response.status_code == 302
    assert ChangeRequest.objects.filter(kind=ChangeKind.EQUIPMENT, equipment_name="数控铣床").exists()


# -- removing occupations or levels (seed 001 第十一条, issue 33 item 5) ------------------------------


@pytest.fixture
def two_occupations(alice):
    welder = OccupationFactory(code="6-25-04-05", name="焊工", standard_year=2018)
    cook = OccupationFactory(code="4-03-02-01", name="中式烹调师", standard_year=2018)
    filing = FiledFilingFactory(institution=alice.institution, occupations=[(welder, "345"), (cook, "45")])
    return filing, welder, cook


def test_seed_001_第十一条_removed_levels_need_no_evaluation_and_apply_when_confirmed(
    two_occupations, alice, carol
):
    filing, welder, _cook = two_occupations
    change = after_filing.request_change(
        filing,
        alice,
        kind=ChangeKind.SCOPE,
        action="remove",
        reason="不再开展三级",
        occupation=welder,
        levels="3",
    )
    assert change.state == ChangeState.SUBMITTED and not change.needs_evaluation
    assert ("6-25-04-05", 3) in institutions.filed_scope(alice.institution, ON)  # not before it is confirmed
    with pytest.raises(after_filing.WorkflowError, match="专家评估"):
        after_filing.start_change_evaluation(change, carol)
    after_filing.decide_change(change, carol, approve=True, comment="确认")
    change.refresh_from_db()
    assert change.state == ChangeState.APPLIED and change.decided_by == carol
    assert filing.occupations.get(occupation=welder).levels == "45"
    scope = institutions.filed_scope(alice.institution, ON)
    assert ("6-25-04-05", 3) not in scope and {("6-25-04-05", 4), ("6-25-04-05", 5)} <= scope
    assert audit.trail(filing).filter(event="change_applied").exists()


def test_seed_001_第十一条_removed_occupation_leaves_the_directory_and_the_certificate_scope(
    client, two_occupations, alice, carol
):
    filing, _welder, cook = two_occupations
    assert "中式烹调师" in client.get(f"/filings/directory/{filing.pk}/").content.decode()
    change = after_filing.request_change(
        filing, alice, kind=ChangeKind.SCOPE, action="remove", reason="停办烹饪", occupation=cook, levels="54"
    )
    after_filing.decide_change(change, carol, approve=True)
    assert not filing.occupations.filter(occupation=cook).exists()
    assert not any(code == "4-03-02-01" for code, _level in institutions.filed_scope(alice.institution, ON))
    assert "中式烹调师" not in client.get(f"/filings/directory/{filing.pk}/").content.decode()
    assert filing.pk not in [f.pk for f in directory.search(occupation="4-03-02-01")]


def test_seed_001_第十一条_a_refused_removal_changes_nothing(two_occupations, alice, carol):
    filing, welder, _cook = two_occupations
    change = after_filing.request_change(
        filing, alice, kind=ChangeKind.SCOPE, action="remove", reason="x", occupation=welder, levels="5"
    )
    after_filing.reject_change(change, carol, "仍有在训学员")
    assert filing.occupations.get(occupation=welder).levels == "345"


def test_seed_001_第十一条_only_filed_occupations_and_levels_can_be_removed(two_occupations, alice, filed):
    filing, welder, _cook = two_occupations
    other = OccupationFactory(code="6-18-01-01", name="车工", standard_year=2018)
    with pytest.raises(after_filing.WorkflowError, match="不在备案范围内"):
        after_filing.request_change(
            filing, alice, kind=ChangeKind.SCOPE, action="remove", reason="x", occupation=other, levels="5"
        )
    with pytest.raises(after_filing.WorkflowError, match="二级/技师"):
        after_filing.request_change(
            filing, alice, kind=ChangeKind.SCOPE, action="remove", reason="x", occupation=welder, levels="2"
        )
    with pytest.raises(after_filing.WorkflowError, match="请选择要减少的级别"):
        after_filing.request_change(
            filing, alice, kind=ChangeKind.SCOPE, action="remove", reason="x", occupation=welder, levels=""
        )
    # The last filed occupation is not removed by a change: that is termination (seed 001 第十三条).
    row = filed.occupations.get()
    with pytest.raises(after_filing.WorkflowError, match="终止"):
        after_filing.request_change(
            filed,
            alice,
            kind=ChangeKind.SCOPE,
            action="remove",
            reason="x",
            occupation=row.occupation,
            levels=row.levels,
        )


def test_the_change_form_takes_a_removal_of_a_filed_row(two_occupations):
    filing, welder, _cook = two_occupations
    row = filing.occupations.get(occupation=welder)
    form = ChangeRequestForm(
        {
            "kind": "scope",
            "action": "remove",
            "reason": "不再开展",
            "removed_occupation": row.pk,
            "levels": ["3"],
        },
        filing=filing,
        kind="scope",
    )
    assert form.is_valid(), form.errors
    assert form.change_fields() == {"action": "remove", "occupation": welder, "work_type": "", "levels": "3"}
    empty = ChangeRequestForm(
        {"kind": "scope", "action": "remove", "reason": "x"}, filing=filing, kind="scope"
    )
    assert not empty.is_valid()
    assert "请选择要减少的职业（工种）。" in empty.errors["removed_occupation"]
    assert "请选择要减少的级别。" in empty.errors["levels"]
