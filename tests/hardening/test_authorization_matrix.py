"""Walks every URL pattern of the project for every person and checks the status against
tests/hardening/access_matrix.py; also CSRF on every POST and no GET on state-changing views."""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.hardening.access_matrix import MATRIX, PEOPLE

pytestmark = pytest.mark.django_db


def named_routes():
    """Every named URL pattern as 'namespace:name', the admin excepted."""
    names = set()

    def walk(patterns, namespace):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace == "admin":
                    continue
                inner = namespace
                if entry.namespace:
                    inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                walk(entry.url_patterns, inner)
            elif isinstance(entry, URLPattern) and entry.name:
                names.add(f"{namespace}:{entry.name}" if namespace else entry.name)

    walk(get_resolver().url_patterns, "")
    return names


def test_every_view_is_in_the_matrix():
    routes = named_routes()
    assert sorted(routes - set(MATRIX)) == [], "views without a row in access_matrix.py"
    assert sorted(set(MATRIX) - routes) == [], "rows whose view no longer exists"


@pytest.fixture
def world(request, alice, bob, carol, dave, erin, django_user_model):
    """Real objects of both institutions; the rows point at institution A's (alice's). Institution B
    (bob's) has the same kinds of objects, so bob's 404s show isolation, not emptiness. The rows of
    ISSUED_BATCH_ROUTES get batches that have run (their PDFs printed): only they pay for it."""
    from types import SimpleNamespace

    callspec = getattr(request.node, "callspec", None)
    issue_batches = callspec is not None and callspec.params.get("route") in ISSUED_BATCH_ROUTES

    admin = django_user_model.objects.create_superuser("root", "root@example.org", "pw-secret-123")
    w = SimpleNamespace(alice=alice, bob=bob, erin=erin)
    w.people = {
        "anon": None,
        "alice": alice,
        "bob": bob,
        "carol": carol,
        "dave": dave,
        "erin": erin,
        "admin": admin,
    }
    for key, user in (("a", alice), ("b", bob)):
        objects = _institution_objects(user, erin, issue_batch=issue_batches)
        for name, value in objects.items():
            setattr(w, f"{name}_{key}", value)
    return w


# Routes whose world holds batches that have run: a batch is queued on commit, which never comes in a
# db test, so elsewhere it stays queued and has no PDF.
ISSUED_BATCH_ROUTES = {"certificates:batch_pdf"}


def _institution_objects(user, expert, issue_batch=False) -> dict:
    """One institution's filings (filed, draft, in publicity, under evaluation), its after-filing
    records, an assessment plan with a candidate under comprehensive review, and certificates."""
    import datetime

    from appraisals.constants import State as AppraisalState
    from certification.models import ComprehensiveReview, Panelist
    from filings.constants import State
    from filings.models import (
        ExpertDraw,
        ExpertReview,
        Filing,
        Inspection,
        Objection,
        Referral,
        SchoolWorkPlan,
        Seal,
        TerminationRequest,
    )
    from portal import audit
    from tests.appraisals.factories import QualitySupervisorFactory
    from tests.appraisals.factories import in_state as appraisal_in_state
    from tests.certificates import factories as certificate_factories
    from tests.certification.factories import (
        CandidateFactory,
        MonthlySummaryFactory,
        PlanFactory,
        filed_institution,
    )
    from tests.filings.factories import in_state
    from tests.filings.factories_after import (
        BlacklistEntryFactory,
        ChangeRequestFactory,
        ComplaintFactory,
        RenewalFactory,
        SanctionFactory,
    )
    from tests.talent.factories import SkillApplicationFactory, TitleApplicationFactory

    institution = filed_institution(user.institution)
    filed = Filing.objects.get(institution=institution, state=State.FILED)
    SchoolWorkPlan.objects.create(filing=filed, basics="学校简介")  # its 工作方案 PDF (附件2)
    from django.core.files.base import ContentFile

    from tests.filings.seal_images import seal_png

    seal = Seal(institution=institution, width=400, height=400, reason="首次启用")  # waiting for the centre
    seal.image.save("matrix-seal.png", ContentFile(seal_png()), save=False)
    seal.save()
    from portal.models import Job

    job = Job(
        owner=user,
        kind="eligibility.roster",
        title="名单资格核查",
        status=Job.Status.DONE,
        result_name="r.xlsx",
    )
    job.result.save("matrix-job.xlsx", ContentFile(b"PK"), save=False)  # its owner's result file
    job.save()
    draft = in_state(State.DRAFT, institution=institution)
    publicity = in_state(State.IN_PUBLICITY, institution=institution)
    evaluation = in_state(State.UNDER_EVALUATION, institution=institution)
    draw = ExpertDraw.objects.create(filing=evaluation, seed="matrix", pool=[expert.pk], drawn=[expert.pk])
    ExpertReview.objects.create(filing=evaluation, expert=expert, draw=draw)
    objection = Objection.objects.create(
        filing=publicity,
        name="公众",
        contact="x@example.org",
        text="异议",
        attachment=_media_pdf("objection"),
    )
    plan = PlanFactory(institution=institution, submitted=True, staffed=True)
    candidate = CandidateFactory(plan=plan, level=2, theory_score=80, practical_score=80)
    review = ComprehensiveReview.objects.create(
        candidate=candidate, held_on=datetime.date(2026, 6, 10), seed=1, pool=[expert.pk]
    )
    panelist = Panelist.objects.create(review=review, expert=expert)
    exam_session, seat = _exam_session(plan, candidate, user)
    occupation = certificate_factories.OccupationFactory(chef=True)
    # A serial far from the allocator's (which numbers the batch's certificates from 1 in the same
    # prefix): the factory's own sequence depends on how many tests ran before and could meet it.
    certificate = certificate_factories.CertificateFactory(
        institution=institution, occupation=occupation, serial=500_000 + institution.pk
    )
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=issue_batch):
        batch = certificate_factories.batch(
            institution=institution,
            candidates=[certificate_factories.candidate(institution.pk * 10, occupation)],
            start=True,  # queued on commit; Celery is eager, so with issue_batch it is issued at once
        )
    if issue_batch:
        batch.refresh_from_db()
        assert batch.pdf, batch.error  # the world is what the row says: a batch with its PDF
    from certificates.documents import ordered
    from certificates.models import DocumentLink
    from certificates.urls_for import verification_url

    verify_url = verification_url(certificate)
    # issue 43 item 3: the certificate holder's resident ID linked to a passport (the unlink's object)
    (kind, number), (other_kind, other_number) = ordered(
        (certificate.document_kind, certificate.id_number), ("passport", f"USA{700000000 + institution.pk}")
    )
    document_link = DocumentLink.objects.create(
        kind=kind, number=number, other_kind=other_kind, other_number=other_number, reason="核验了证件原件"
    )
    return {
        "institution": institution,
        "filing": filed,
        "seal": seal,
        "job": job,
        "draft": draft,
        "attachment": draft.attachments.first(),
        "publicity": publicity,
        "evaluation": evaluation,
        "objection": objection,
        "change": ChangeRequestFactory(filing=filed),
        "renewal": RenewalFactory(filing=filed),
        "termination": TerminationRequest.objects.create(filing=filed, reason="停止业务", requested_by=user),
        "sanction": SanctionFactory(filing=filed, rectification=True),
        # An entry in force, under a credit code of its own (the institution's filings stay usable).
        "blacklist": BlacklistEntryFactory(institution=institution, filing=filed),
        "complaint": ComplaintFactory(filing=filed, attachment=_media_pdf("complaint")),
        "plan": plan,
        "candidate": candidate,
        "notification": audit.notify(user, "认定方案待办", ""),
        # seed 004 四(四)3: the institution's submitted results summary of June 2026
        "monthly_summary": MonthlySummaryFactory(institution=institution, submitted_by=user),
        "review": review,
        "panelist": panelist,
        "exam_session": exam_session,  # issue 44: a theory session of plan_a, candidate_a seated in it
        "seat": seat,
        "certificate": certificate,
        "document_link": document_link,
        "batch": batch,
        "verify_query": verify_url.split("?", 1)[1] if "?" in verify_url else "",
        "title_application": TitleApplicationFactory(filed_by=user, employer=institution),
        "skill_application": SkillApplicationFactory(filed_by=user, institution=institution),
        "inspection": Inspection.objects.create(
            filing=filed,
            kind="daily",
            method="onsite",
            inspected_on=datetime.date(2026, 6, 1),
            inspectors="督导员甲",
            findings="监控中断",
        ),
        "referral": Referral.objects.create(
            ground="institution",
            filing=filed,
            subject=filed.name,
            authority="市场监督管理局",
            facts="涉嫌违规收费",
            referred_on=datetime.date(2026, 6, 1),
        ),
        # the enterprise 职业技能鉴定 (appraisals): a draft, a submitted one, a filed one (its 调整试题
        # answered), one whose questions are recorded; a quality supervisor in the pool to dispatch
        "appraisal_draft": appraisal_in_state(institution, user, AppraisalState.DRAFT),
        "appraisal": appraisal_in_state(institution, user, AppraisalState.SUBMITTED),
        "appraisal_filed": appraisal_in_state(
            institution,
            user,
            AppraisalState.FILED,
            record_number=f"JD2026{9000 + institution.pk % 1000:04d}",
            adjustment_granted=True,
        ),
        "appraisal_recorded": appraisal_in_state(
            institution,
            user,
            AppraisalState.QUESTIONS_RECORDED,
            record_number=f"JD2025{9000 + institution.pk % 1000:04d}",
            adjustment_granted=True,
            question_source="experts",
        ),
        "supervisor": QualitySupervisorFactory(),
        **_appraisal_scores(institution, user),
    }


def _exam_session(plan, candidate, user):
    """A theory session of the plan (its staffed supervisor and an assessor) and the candidate's seat."""
    import datetime

    from certification import sessions
    from certification.constants import StaffRole
    from certification.models import ExamSession

    tz = datetime.timezone(datetime.timedelta(hours=8))
    session = sessions.create_session(
        plan,
        user,
        kind=ExamSession.Kind.THEORY,
        starts_at=datetime.datetime(2026, 6, 1, 9, tzinfo=tz),
        ends_at=datetime.datetime(2026, 6, 1, 11, tzinfo=tz),
        place=plan.site,
        room="101",
        capacity=30,
        supervisor=sessions.staff_of(plan, StaffRole.SUPERVISOR)[0],
        assessors=sessions.staff_of(plan, StaffRole.ASSESSOR)[:1],
    )
    sessions.allocate(plan, user)
    return session, session.seats.get(candidate=candidate)


def _appraisal_scores(institution, user) -> dict:
    """四(四) of the enterprise 职业技能鉴定: an arranged one with a scored candidate (to score and publicise),
    one in publicity with an open objection, one whose publicity ended unopposed (to report)."""
    import datetime

    from appraisals.constants import State
    from appraisals.models import CandidateReview, ScoreObjection
    from certificates import qualification
    from portal import roles, workdays
    from portal.models import User
    from tests.appraisals.factories import in_state, scored_candidate

    today = workdays.today()
    done = {"adjustment_granted": True, "question_source": "experts"}
    number = 9000 + institution.pk % 1000
    arranged = in_state(institution, user, State.ARRANGED, record_number=f"JD2024{number:04d}", **done)
    publicised = in_state(
        institution,
        user,
        State.PUBLICISED,
        record_number=f"JD2023{number:04d}",
        publicity_start=today - datetime.timedelta(days=1),
        publicity_end=today + datetime.timedelta(days=30),
        **done,
    )
    reportable = in_state(
        institution,
        user,
        State.PUBLICISED,
        record_number=f"JD2022{number:04d}",
        publicity_start=today - datetime.timedelta(days=30),
        publicity_end=today - datetime.timedelta(days=20),
        **done,
    )
    # 四(六): a reported one (the bureau issues its 职业资格证书) and one issued, its certificate printed
    reported = in_state(institution, user, State.REPORTED, record_number=f"JD2020{number:04d}", **done)
    issued = in_state(institution, user, State.REPORTED, record_number=f"JD2019{number:04d}", **done)
    for appraisal in (publicised, reportable, reported, issued):
        scored_candidate(appraisal)
    bureau = User.objects.filter(groups__name=roles.BUREAU).first()
    qualification.issue_for_appraisal(issued, bureau)
    # 四(五), 五(三): another arranged one, its 技师 candidates held for their 综合评审
    reviewing = in_state(institution, user, State.ARRANGED, record_number=f"JD2021{number:04d}", **done)
    return {
        "appraisal_arranged": arranged,
        "appraisal_candidate": scored_candidate(arranged),
        "appraisal_reviewing": reviewing,
        "appraisal_master": scored_candidate(reviewing, n=1, level=2),  # a 技师 (四(五), 五(三))
        "appraisal_review": CandidateReview.objects.create(  # an open 综合评审 (四(五)), no panel
            candidate=scored_candidate(reviewing, n=2, level=2), held_on=today, seed=1
        ),
        "appraisal_publicised": publicised,
        "appraisal_reportable": reportable,
        "appraisal_reported": reported,
        "appraisal_issued": issued,
        "appraisal_objection": ScoreObjection.objects.create(
            appraisal=publicised, name="李四", contact="13800000000", text="成绩有误"
        ),
    }


def _media_pdf(name: str) -> str:
    """A PDF stored under MEDIA_ROOT, as an uploaded attachment would be; returns its storage name."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    return default_storage.save(f"matrix/{name}.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))


def resolve_kwargs(world, kwargs):
    resolved = {}
    for name, path in kwargs.items():
        if path.startswith("="):
            resolved[name] = path[1:]
            continue
        value = world
        for part in path.split("."):
            value = getattr(value, part)
        resolved[name] = value
    return resolved


def url_for(world, row, route):
    query = row.query
    if query.startswith("world."):
        query = resolve_kwargs(world, {"q": query[len("world.") :]})["q"]
    return reverse(route, kwargs=resolve_kwargs(world, row.kwargs)) + (f"?{query}" if query else "")


def client_for(world, who):
    from django.core.cache import cache

    cache.clear()  # rate limits count per address, and every person here comes from 127.0.0.1
    client = Client()
    if world.people[who] is not None:
        client.force_login(world.people[who])
    return client


def test_observe(world):
    """MATRIX_OBSERVE=1 prints the statuses every route gives, as rows to review by hand; otherwise
    skipped. Never paste without reading: each 200 for bob on A's objects would be a leak."""
    import os

    if not os.environ.get("MATRIX_OBSERVE"):
        pytest.skip("set MATRIX_OBSERVE=1 to print observed rows")
    for route in sorted(named_routes()):
        row = MATRIX.get(route)
        if row is None:
            print(f"MISSING {route}")
            continue
        url = url_for(world, row, route)
        got = []
        for who in PEOPLE:
            client = client_for(world, who)
            response = client.post(url) if row.post else client.get(url)
            got.append(f"{who}={response.status_code}")
        print(f"OBSERVED {route:45s} {' '.join(got)}  {url}")
        if row.post:
            stray = [f"{who}={stray_get(client_for(world, who), url)[0]}" for who in PEOPLE]
            print(f"OBSERVED GET {route:41s} {' '.join(stray)}")


@pytest.mark.parametrize("route", sorted(MATRIX))
def test_route_statuses(route, world):
    row = MATRIX[route]
    url = url_for(world, row, route)
    got = {}
    for who in PEOPLE:
        client = client_for(world, who)
        response = client.post(url) if row.post else client.get(url)
        got[who] = response.status_code
    assert got == row.expected(), url


def stray_get(client, url):
    """GETs a POST-only ``url`` as a reload or a pasted link would; returns (status, the page a redirect
    leads to or None)."""
    response = client.get(url)
    if response.status_code != 302:
        return response.status_code, None
    location = response["Location"]
    if "/accounts/login/" in location:
        return 302, None
    return 302, client.get(location)


@pytest.mark.parametrize("route", sorted(r for r, row in MATRIX.items() if row.post))
def test_state_changing_views_answer_get_with_their_page_and_need_csrf(route, world):
    """Issue 29 item 5: a stray GET never shows a bare 405. Whoever may see the object is sent to its
    page, which says what happened; anon goes to the login page (except on public addresses), everyone
    else gets the POST's own 403/404. A POST without CSRF token is still refused (tables unchanged on a
    stray GET: tests/hardening/test_post_matrix.py)."""
    from portal.post_only import STRAY_GET_MESSAGE

    row = MATRIX[route]
    url = url_for(world, row, route)
    got = {}
    for who in PEOPLE:
        client = client_for(world, who)
        got[who], page = stray_get(client, url)
        if page is not None:
            assert page.status_code == 200, f"{url}: {who} was sent to a page that answers {page.status_code}"
            assert str(STRAY_GET_MESSAGE) in page.content.decode(), f"{url}: no message for {who}"
        if who == "anon" and got[who] == 302 and page is not None:
            assert route in PUBLIC_POSTS, f"{url}: anon was sent to {page.request['PATH_INFO']}, not to login"
    assert got == row.expected_get(), url
    for who in ("alice", "carol", "admin"):
        strict = Client(enforce_csrf_checks=True)
        if world.people[who] is not None:
            strict.force_login(world.people[who])
        assert strict.post(url).status_code == 403, f"{url} accepts a POST without CSRF token for {who}"


# POST-only addresses open to anonymous visitors: a stray GET goes to their page, not to login (the
# score publicity's objection goes to the publicity page, where its form is).
PUBLIC_POSTS = {"logout", "certificates:lookup_download", "appraisals:objection"}


def test_other_methods_get_a_chinese_page(client):
    """A method no view takes (here PUT on a POST-only address) keeps its 405 and Allow header, with a
    Chinese page and a way back instead of the browser's blank English error."""
    response = client.put(reverse("logout"))
    assert response.status_code == 405
    assert response["Allow"]
    text = response.content.decode()
    assert "不能直接打开或刷新" in text and reverse("home") in text


@pytest.mark.parametrize("route", ["certificates:batch_pdf"])
def test_batch_pdf_goes_to_its_institution_only(route, world):
    """Both institutions' batches have run and hold a PDF: each applicant downloads their own, read
    back, and gets a 404 for the other's; centre staff get either."""
    import io

    from pypdf import PdfReader

    def holders(response):
        text = "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(b"".join(response))).pages)
        return text

    mine = client_for(world, "alice").get(reverse(route, args=[world.batch_a.pk]))
    assert mine.status_code == 200 and mine["Content-Type"] == "application/pdf"
    theirs_for_bob = client_for(world, "bob").get(reverse(route, args=[world.batch_b.pk]))
    assert theirs_for_bob.status_code == 200
    assert holders(mine) != holders(theirs_for_bob)  # two batches, two different people
    assert client_for(world, "bob").get(reverse(route, args=[world.batch_a.pk])).status_code == 404
    assert client_for(world, "alice").get(reverse(route, args=[world.batch_b.pk])).status_code == 404
    assert client_for(world, "carol").get(reverse(route, args=[world.batch_b.pk])).status_code == 200


def test_a_head_request_is_redirected_without_a_message(client, alice):
    """A HEAD (a link preview) of a POST-only address gets the same redirect and leaves no message
    waiting for the next page."""
    from portal.post_only import STRAY_GET_MESSAGE

    client.force_login(alice)
    response = client.head(reverse("notifications_read"))
    assert response.status_code == 302 and response["Location"] == reverse("notifications")
    assert str(STRAY_GET_MESSAGE) not in client.get(reverse("notifications")).content.decode()
