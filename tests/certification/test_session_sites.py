"""Issue 44 item 1: a session is held at one of the exam sites the institution's filing in force lists
(filings.FilingSite): the place is the site's 名称（地址）, its seats never exceed the site's filed seats, a site
filed for 理论 only holds no 技能操作考核 and one for 实操 only no 理论知识考试; an older filing without that list
keeps the typed place (certification.sessions, the form in certification.forms.SessionForm)."""

import pytest

from certification import sessions
from certification.constants import StaffRole
from certification.models import ExamSession
from filings.institutions import current_filing
from portal.errors import PortalError
from portal.models import AuditEvent
from tests.certification.test_session_views import at, form_data, plan, staff, url  # noqa: F401
from tests.filings.factories import FilingSiteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(plan):  # noqa: F811
    return FilingSiteFactory(
        filing=current_filing(plan.institution), name="实训基地", address="西青区实训路 9 号", seats=20,
        use="both",
    )  # fmt: skip


def create(plan, alice, *, capacity, site, kind=ExamSession.Kind.PRACTICAL, place="手填地点"):  # noqa: F811
    return sessions.create_session(
        plan, alice, kind=kind, starts_at=at(9), ends_at=at(11), place=place, room="实训室 1",
        capacity=capacity, supervisor=staff(plan, StaffRole.SUPERVISOR)[0],
        assessors=staff(plan, StaffRole.ASSESSOR)[:1], site=site,
    )  # fmt: skip


def test_the_filed_sites_of_the_filing_in_force(plan, site):  # noqa: F811
    assert sessions.filed_sites(plan) == [site]


@pytest.mark.parametrize("capacity", [19, 20])
def test_up_to_the_sites_seats_and_the_place_from_the_site(alice, plan, site, capacity):  # noqa: F811
    session = create(plan, alice, capacity=capacity, site=site)
    session.refresh_from_db()
    assert session.site == site and session.capacity == capacity
    assert session.place == "实训基地（西青区实训路 9 号）"  # never the typed one


def test_one_seat_over_the_site_is_refused_naming_the_site(alice, plan, site):  # noqa: F811
    with pytest.raises(PortalError, match="场地“实训基地”备案的考位（工位）数为 20，座位数不能超过 20"):
        create(plan, alice, capacity=21, site=site)
    assert not ExamSession.objects.exists()


def test_an_edit_keeps_to_the_sites_seats(alice, plan, site):  # noqa: F811
    session = create(plan, alice, capacity=20, site=site)
    kwargs = {
        "kind": session.kind, "starts_at": session.starts_at, "ends_at": session.ends_at, "place": "",
        "room": session.room, "supervisor": session.supervisor, "assessors": list(session.assessors.all()),
        "site": site,
    }  # fmt: skip
    with pytest.raises(PortalError, match="不能超过 20"):
        sessions.update_session(session, alice, capacity=21, **kwargs)
    with pytest.raises(PortalError, match="请从备案的考试场地中选择"):
        sessions.update_session(session, alice, capacity=20, **dict(kwargs, site=None))
    sessions.update_session(session, alice, capacity=18, **kwargs)
    session.refresh_from_db()
    assert session.capacity == 18 and session.place == "实训基地（西青区实训路 9 号）"


@pytest.mark.parametrize(
    "use, kind",
    [("theory", ExamSession.Kind.PRACTICAL), ("practical", ExamSession.Kind.THEORY)],
)
def test_a_site_holds_only_what_it_was_filed_for(alice, plan, use, kind):  # noqa: F811
    site = FilingSiteFactory(filing=current_filing(plan.institution), name="一号楼", use=use, seats=50)
    with pytest.raises(PortalError, match="场地“一号楼”备案用途为"):
        create(plan, alice, capacity=10, site=site, kind=kind)
    other = ExamSession.Kind.THEORY if kind == ExamSession.Kind.PRACTICAL else ExamSession.Kind.PRACTICAL
    assert create(plan, alice, capacity=10, site=site, kind=other).site == site


def test_with_filed_sites_a_session_must_pick_one_of_them(alice, bob, plan, site):  # noqa: F811
    with pytest.raises(PortalError, match="请从备案的考试场地中选择"):
        create(plan, alice, capacity=10, site=None)
    foreign = FilingSiteFactory(seats=500)  # another filing's site
    with pytest.raises(PortalError, match="不在本机构备案在用的考试场地中"):
        create(plan, alice, capacity=10, site=foreign)


def test_without_filed_sites_the_typed_place_stays(alice, plan):  # noqa: F811
    assert sessions.filed_sites(plan) == []
    session = create(plan, alice, capacity=200, site=None, place="河西区友谊路 1 号")
    assert session.site is None and session.place == "河西区友谊路 1 号"


# --- the form ----------------------------------------------------------------------------------------


def test_the_form_offers_the_filed_sites(client, alice, plan, site):  # noqa: F811
    client.force_login(alice)
    page = client.get(url("session_new", plan)).content.decode()
    assert 'data-testid="filed-sites"' in page and "实训基地（西青区实训路 9 号）" in page
    assert 'name="place"' not in page and 'name="site"' in page
    response = client.post(url("session_new", plan), form_data(plan, site=str(site.pk), capacity="21"))
    assert response.status_code == 200
    assert "场地“实训基地”备案的考位（工位）数为 20" in response.content.decode()
    response = client.post(url("session_new", plan), form_data(plan, site=str(site.pk), capacity="20"))
    assert response.status_code == 302
    session = ExamSession.objects.get()
    assert session.site == site and session.place == "实训基地（西青区实训路 9 号）"
    page = client.get(url("session_edit", plan, session.pk)).content.decode()
    assert f'<option value="{site.pk}" selected>' in page


def test_the_form_without_filed_sites_says_so(client, alice, plan):  # noqa: F811
    client.force_login(alice)
    page = client.get(url("session_new", plan)).content.decode()
    assert 'data-testid="no-filed-sites"' in page and "尚未按场地逐一填写考试场地" in page
    assert 'name="place"' in page and 'name="site"' not in page
    assert client.post(url("session_new", plan), form_data(plan)).status_code == 302
    assert ExamSession.objects.get().place == "河西区友谊路 1 号"


def test_the_demo_plans_sessions_use_the_demo_sites():
    """certification.demo arranges the queued plan's theory room at the filed 理论 site and its practical room at
    the 实操 one (filings.demo files both for the demo applicant)."""
    from certification import demo
    from portal.demo import load_demo_accounts
    from portal.models import User
    from tests.certification.factories import filed_institution

    load_demo_accounts()
    applicant = User.objects.get(username="applicant")
    filed_institution(applicant.institution, levels="45")
    filing = current_filing(applicant.institution)
    theory = FilingSiteFactory(filing=filing, name="理论考试中心", use="theory", seats=120)
    practical = FilingSiteFactory(filing=filing, name="实训基地", use="practical", seats=40)
    demo.load()
    arranged = {s.kind: s for s in ExamSession.objects.filter(plan__institution=applicant.institution)}
    assert arranged[ExamSession.Kind.THEORY].site == theory
    assert arranged[ExamSession.Kind.PRACTICAL].site == practical
    assert arranged[ExamSession.Kind.PRACTICAL].place == str(practical)


def test_too_many_seats_for_the_site_is_shown_beside_the_seats_typed(client, alice, plan, site):  # noqa: F811
    """The refusal sits under 座位数 with the 21 typed kept, not above the form; on the edit page too."""
    client.force_login(alice)
    response = client.post(url("session_new", plan), form_data(plan, site=str(site.pk), capacity="21"))
    form = response.context["form"]
    assert form.errors["capacity"] == ["场地“实训基地”备案的考位（工位）数为 20，座位数不能超过 20。"]
    assert not form.non_field_errors()
    assert 'name="capacity" value="21"' in response.content.decode()
    session = create(plan, alice, capacity=20, site=site)
    response = client.post(
        url("session_edit", plan, session.pk), form_data(plan, site=str(site.pk), capacity="25")
    )
    assert list(response.context["form"].errors) == ["capacity"]
    assert 'name="capacity" value="25"' in response.content.decode()


def test_the_create_event_records_the_site(alice, plan, site):  # noqa: F811
    session = create(plan, alice, capacity=10, site=site)
    event = AuditEvent.objects.get(event="certification_session_created")
    assert event.data["session"] == session.pk and event.data["site"] == site.pk
    assert event.data["place"] == "实训基地（西青区实训路 9 号）"


def test_a_session_arranged_before_the_sites_were_filed_asks_for_one(client, alice, plan):  # noqa: F811
    session = create(plan, alice, capacity=10, site=None)  # the filing listed no sites then
    client.force_login(alice)
    edit = url("session_edit", plan, session.pk)
    page = client.get(url("session", plan, session.pk)).content.decode()
    assert "请为本考场选择备案的考试场地" not in page
    site = FilingSiteFactory(filing=current_filing(plan.institution), name="实训基地", seats=20)  # noqa: F811
    page = client.get(url("session", plan, session.pk)).content.decode()
    assert 'data-testid="needs-site"' in page and "请为本考场选择备案的考试场地" in page
    assert f'<a href="{edit}">' in page
    sessions.update_session(
        session, alice, kind=session.kind, starts_at=session.starts_at, ends_at=session.ends_at, place="",
        room=session.room, capacity=10, supervisor=session.supervisor, assessors=list(session.assessors.all()),
        site=site,
    )  # fmt: skip
    assert "请为本考场选择备案的考试场地" not in client.get(url("session", plan, session.pk)).content.decode()
