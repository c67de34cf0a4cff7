"""Demo data: one small issued batch for the demo applicant institution (天津市海河装备制造有限公司).

When the filings app has a filing in force for it, the batch uses the filed prefix, name and scope
(``filings.institutions``). Otherwise (no filings demo yet) a fixed demo prefix stands in: Y (employer),
route 0000 (filed with the province first), the portal's province, institution sequence 011001."""

import io

from django.conf import settings
from django.db import transaction

DEMO_TITLE = "演示批次：2026 年第一期中式烹调师、车工认定"
DEMO_PEOPLE = [
    # name, sex, 17-digit ID body (check digit computed; its 17th digit odd for a man, even for a
    # woman, GB 11643), occupation code, level
    ("张伟", "男", "12010119880312001", "4-03-02-01", 4),
    ("王芳", "女", "12010219900705002", "4-03-02-01", 4),
    ("欧阳晓燕", "女", "12010319921120004", "4-03-02-01", 3),
    ("李强", "男", "12010419850101003", "6-18-01-01", 3),
    ("赵敏", "女", "12010519950228006", "6-18-01-01", 4),
]


# Stand-in scope; the same occupations the filings demo files the demo applicant for (levels 3-5).
DEMO_SCOPE = {(code, level) for code in ("4-03-02-01", "6-18-01-01") for level in (3, 4, 5)}


def issuer(institution):
    """(prefix, name as filed, filed scope) from the filings app, or the demo stand-ins."""
    try:
        from filings import institutions as filed

        prefix, name = filed.certificate_prefix(institution), filed.filed_name(institution)
        scope = filed.filed_scope(institution)
    except (ImportError, AttributeError):
        prefix = name = None
    if prefix and name:
        return prefix, name, scope
    return demo_prefix(), institution.name, DEMO_SCOPE


def demo_prefix():
    return ("Y", "0000", getattr(settings, "PROVINCE_CODE", "12"), "011001")


def _photo(seed: int) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (350, 490), "white")
    draw = ImageDraw.Draw(image)
    shade = 70 + seed * 25
    draw.ellipse((110, 70, 240, 230), fill=(shade, shade - 20, shade - 30))
    draw.rectangle((50, 260, 300, 490), fill=(30, 50 + seed * 15, 110))
    out = io.BytesIO()
    image.save(out, "JPEG")
    return out.getvalue()


def load() -> list[str]:
    from stdnum.cn import ric

    from portal.models import Occupation, User

    from .issuance import IssuableCandidate, create_batch, run_batch
    from .models import IssuanceBatch

    applicant = User.objects.filter(username="applicant").select_related("institution").first()
    if applicant is None or applicant.institution is None:
        return ["certificates: no demo applicant, skipped"]
    institution = applicant.institution
    batch = IssuanceBatch.objects.filter(institution=institution, title=DEMO_TITLE).first()
    if batch is None:
        occupations = {o.code: o for o in Occupation.objects.filter(code__in={p[3] for p in DEMO_PEOPLE})}
        if len(occupations) < 2:
            return ["certificates: occupation directory not loaded (manage.py load_reference), skipped"]
        candidates = [
            IssuableCandidate(
                source_key=f"demo.candidate:{n}",
                name=name,
                sex=sex,
                id_number=body + ric.calc_check_digit(body + "0"),
                occupation=occupations[code],
                level=level,
                photo=_photo(n),
                verified_passing=True,
            )
            for n, (name, sex, body, code, level) in enumerate(DEMO_PEOPLE)
        ]
        # One candidate outside the filed scope (level 2 is not filed), so the report shows a refusal.
        candidates.append(
            IssuableCandidate(
                source_key="demo.candidate:99",
                name="孙磊",
                sex="男",
                id_number="12010619930909007" + ric.calc_check_digit("120106199309090070"),
                occupation=occupations["6-18-01-01"],
                level=2,
                photo=_photo(6),
                verified_passing=True,
            )
        )
        prefix, name, scope = issuer(institution)
        with transaction.atomic():
            batch = create_batch(
                institution, prefix, name, candidates, None, scope=scope, title=DEMO_TITLE, start=False
            )
        run_batch(batch.pk)  # synchronously: the demo must not need a worker
        batch.refresh_from_db()
    return (
        [f"certificates: demo batch #{batch.pk} ({batch.issued_count} issued, {batch.refused_count} refused)"]
        + public_lookups()
        + issue_uploaded_plan()
        + issue_appraisal()
        + export_in_background()
    )


def export_in_background() -> list[str]:
    """A finished background export for the centre (the jobs pages, issue 39 item 4), written in place
    like every demo task (the demo needs no worker)."""
    from portal import jobs
    from portal.models import Job, User

    from . import export_job
    from .models import Certificate

    centre = User.objects.filter(username="centre").first()
    if centre is None:
        return []
    job = Job.objects.filter(owner=centre, kind=export_job.KIND).first()
    if job is not None:
        return [f"certificates: demo export job {job.pk}"]
    dates = sorted(Certificate.objects.values_list("issue_date", flat=True).distinct())
    if not dates:
        return []
    job = export_job.start(
        centre, date_from=dates[0], date_to=dates[-1], description=f"发证日期 {dates[0]} 至 {dates[-1]}"
    )
    jobs.run(str(job.pk))  # at once, whether or not the task ran on commit
    return [f"certificates: demo export job {job.pk}"]


def public_lookups() -> list[str]:
    """Thirty days of the public lookup log (the centre's dashboard and the statistics page): a few dozen
    lookups a day, some not found, a burst of rate-limited requests from one address the day before."""
    import random
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from .models import Certificate, LookupEvent

    if LookupEvent.objects.exists():
        return [f"certificates: {LookupEvent.objects.count()} public lookups over 30 days"]
    draw = random.Random(2026)  # the same demo every time
    today = timezone.localdate()
    codes = list(Certificate.objects.values_list("code", flat=True)[:20]) or [""]
    Kind, Outcome = LookupEvent.Kind, LookupEvent.Outcome
    rows = []
    for back in range(30):
        day = today - timedelta(days=back)
        for n in range(draw.randint(12, 40) if back else 6):
            at = timezone.make_aware(datetime.combine(day, time(8 + n % 10, (n * 7) % 60)))
            kind = draw.choice([Kind.LOOKUP, Kind.LOOKUP, Kind.VERIFY, Kind.API])
            outcome = draw.choices(
                [
                    Outcome.FOUND if kind != Kind.VERIFY else Outcome.VALID,
                    Outcome.NOT_FOUND,
                    Outcome.MISMATCH,
                ],
                weights=[8, 2, 1],
            )[0]
            rows.append(
                LookupEvent(
                    at=at, kind=kind, outcome=outcome, ip_hash=f"demo{n % 9}", code=draw.choice(codes)
                )
            )
        if back == 1:
            at = timezone.make_aware(datetime.combine(day, time(22, 0)))
            rows += [
                LookupEvent(at=at, kind=Kind.API, outcome=Outcome.LIMITED, ip_hash="demoburst")
                for _ in range(25)
            ]
    LookupEvent.objects.bulk_create(rows)
    return [f"certificates: {len(rows)} public lookups over 30 days"]


def issue_uploaded_plan() -> list[str]:
    """The certificates of the demo plan whose results the ministry centre's site published (seed 001
    第十六条(四)), issued as the centre's 签发证书 button issues them; the plan verified but not yet
    uploaded stays without certificates."""
    from certification import demo as plans
    from portal.models import User

    from .issuance import run_batch
    from .models import IssuanceBatch
    from .plan_issuing import issue

    plan = plans.uploaded_plan()
    centre = User.objects.filter(username="centre").first()
    if plan is None or centre is None:
        return ["certificates: no uploaded demo plan, its certificates skipped"]
    batch = IssuanceBatch.objects.filter(institution=plan.institution, title=plan.title).first()
    if batch is None:
        with transaction.atomic():
            batch = issue(plan, centre, start=False)
        run_batch(batch.pk)  # synchronously: the demo must not need a worker
        batch.refresh_from_db()
    return [f"certificates: uploaded demo plan, batch #{batch.pk} ({batch.issued_count} issued)"]


def issue_appraisal() -> list[str]:
    """The bureau's 职业资格证书 (seed 002 附件1 四(六)) of the demo enterprise's last reported 鉴定 (appraisals'
    demo reports two; the other stays in the bureau's queue), issued as its 核发职业资格证书 button does."""
    from appraisals.constants import State
    from appraisals.models import Appraisal
    from portal.models import User

    from .qualification import issue_for_appraisal, issued_for

    applicant = User.objects.filter(username="applicant").first()
    bureau = User.objects.filter(username="bureau").first()
    if applicant is None or bureau is None or applicant.institution_id is None:
        return ["certificates: no demo enterprise or bureau, the 职业资格证书 skipped"]
    mine = Appraisal.objects.filter(enterprise_id=applicant.institution_id)
    appraisal = mine.filter(state=State.ISSUED).order_by("-pk").first()
    if appraisal is None:
        appraisal = mine.filter(state=State.REPORTED).order_by("-pk").first()
        if appraisal is None:
            return ["certificates: no reported demo appraisal, the 职业资格证书 skipped"]
        issue_for_appraisal(appraisal, bureau)
    return [
        f"certificates: demo appraisal {appraisal.reference}, {len(issued_for(appraisal))} 职业资格证书 issued"
    ]
