"""Demo rows for life after filing (Filings II), idempotent. Three filed institutions of its own
(so it does not depend on the order of the filing demo): one inside its renewal window with a
pending renewal and change requests, one under rectification after a complaint, one revoked and
blacklisted; plus an inspection and a 双随机 draw. Called from filings.demo.load()."""

from datetime import timedelta

from django.contrib.auth.models import Group
from django.db import transaction
from stdnum.cn import ric, uscc

from portal import roles, workdays
from portal.models import Institution, Occupation, User

from . import after_filing, complaints, supervision
from .constants import PersonRole, State
from .constants_after import ChangeKind, ComplaintOutcome, SanctionKind
from .models import BlacklistEntry, Filing, FilingEquipment, FilingOccupation, FilingPerson, FilingSite

DEMO = [
    # key, name, 17-char credit code body, kind, years ago filed (+ days)
    ("renewing", "天津市津南区示范焊接技能评价中心", "91120112MA05DEM01", "enterprise", 1065),
    ("rectifying", "天津市河北区烹饪职业培训学校", "52120105MA05DEM02", "other", 400),
    ("revoked", "天津市某某职业技能评价有限公司", "91120116MA05DEM03", "enterprise", 500),
]


def _code(body: str) -> str:
    return body + uscc.calc_check_digit(body)


def _id(n: int) -> str:
    body = f"12011219850101{n % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


STAFFED = {PersonRole.ASSESSOR: 5, PersonRole.STAFF: 3, PersonRole.SUPERVISOR: 2}


def _staff(username):
    return User.objects.filter(username=username).first()


def _filed(name, code, kind, days_ago, occupations, sequence):
    institution, _ = Institution.objects.get_or_create(
        credit_code=code,
        defaults={
            "name": name,
            "contact_name": "演示联系人",
            "contact_phone": "022-58881234",
            "contact_email": "demo-after@example.org",
        },
    )
    filing = Filing.objects.filter(institution=institution).first()
    if filing:
        return filing, False
    filed_on = workdays.today() - timedelta(days=days_ago)
    from .workflow import validity_end

    filing = Filing.objects.create(
        institution=institution,
        route="Y" if kind == "enterprise" else "S",
        kind=kind,
        name=name,
        credit_code=code,
        address="天津市演示路 8 号",
        registration_authority="天津市市场监督管理局",
        legal_representative="演示法人",
        contact_name="演示联系人",
        contact_phone="022-58881234",
        contact_email="demo-after@example.org",
        site_description="实训楼一至三层，考场 6 间",
        it_description="考务计算机 60 台，全程视频监控",
        pledge_accepted=True,
        pledge_signatory="演示法人",
        filed_on=filed_on,
        valid_from=filed_on,
        valid_until=validity_end(filed_on),
        route_code="0000",
        province_code="12",
        institution_sequence=sequence,
        filing_number=f"{'Y' if kind == 'enterprise' else 'S'}000012{sequence}-{filed_on:%Y%m%d}",
    )
    Filing.objects.filter(pk=filing.pk).update(state=State.FILED)
    filing.refresh_from_db()
    for occupation, levels in occupations:
        FilingOccupation.objects.create(filing=filing, occupation=occupation, levels=levels, person_times=800)
    # Staffed enough to submit a plan of 12 candidates (the staffing rule of certification.rules, issue
    # 29 item 2): STAFFED people of each role, one of the others.
    people = [(role, label, j) for role, label in PersonRole.choices for j in range(STAFFED.get(role, 1))]
    for i, (role, label, j) in enumerate(people):
        FilingPerson.objects.create(
            filing=filing, role=role, name=f"演示{label}{j + 1}", id_number=_id(filing.pk * 20 + i)
        )
    FilingSite.objects.create(
        filing=filing,
        name="演示考试场地",
        address=filing.address or "演示地址",
        rooms=2,
        seats=30,
        use="both",
    )
    FilingEquipment.objects.create(
        filing=filing, name="焊接实训工位", brand="演示", model="WS-400", quantity=20
    )
    return filing, True


@transaction.atomic
def load() -> list[str]:
    occupations = list(Occupation.objects.filter(access_type=False).order_by("code")[:4])
    centre, bureau = _staff("centre"), _staff("bureau")
    applicant_group = Group.objects.filter(name=roles.APPLICANT).first()
    if len(occupations) < 3 or centre is None or bureau is None or applicant_group is None:
        return ["filings (after filing): demo skipped (occupations or demo staff missing)"]
    today = workdays.today()
    made, any_created = {}, False
    for n, (key, name, body, kind, days_ago) in enumerate(DEMO):
        scope = [(occupations[n], "345"), (occupations[(n + 1) % len(occupations)], "45")]
        made[key], created = _filed(name, _code(body), kind, days_ago, scope, f"016{901 + n:03d}")
        if not created:
            continue
        any_created = True
        user, _ = User.objects.get_or_create(
            username=f"after{n + 1}",
            defaults={"institution": made[key].institution, "email": f"after{n + 1}@example.org"},
        )
        user.set_password("demo-2026")
        user.save()
        user.groups.add(applicant_group)
        filing = made[key]
        if key == "renewing":
            after_filing.request_renewal(
                filing, user, summary="备案期内开展焊工认定 2,300 人次，质量督导全覆盖。", on=today
            )
            after_filing.request_change(
                filing, user, kind=ChangeKind.SITE, reason="新增实训场地", site_description="新增二号实训楼"
            )
            after_filing.request_change(
                filing,
                user,
                kind=ChangeKind.SCOPE,
                reason="拟增加职业",
                occupation=occupations[3],
                levels="45",
            )
        elif key == "rectifying":
            complaint = complaints.submit(
                name="演示投诉人",
                contact="13800000000",
                institution_name=filing.name,
                text="考场监控未全程开启。",
            )
            complaints.start_investigation(complaint, centre)
            complaints.close(
                complaint,
                centre,
                outcome=ComplaintOutcome.FOUNDED,
                outcome_text="经核实，部分考场监控中断，限期整改。",
                sanction_kind=SanctionKind.RECTIFICATION,
                deadline=today + timedelta(days=30),
                on=today,
            )
            supervision.record_inspection(
                filing,
                centre,
                kind="special",
                method="onsite",
                inspected_on=today,
                inspectors="演示督导员甲、乙",
                findings="监控设备已维修，待复查。",
            )
            published = supervision.record_inspection(
                filing,
                centre,
                kind="daily",
                method="onsite",
                inspected_on=today - timedelta(days=20),
                inspectors="演示督导员丙、丁",
                findings="部分考场监控中断。",
            )
            supervision.publish_inspection(published, centre, measure="责令限期整改。", on=today)
            supervision.refer(
                centre,
                ground="institution",
                filing=filing,
                authority="天津市市场监督管理局",
                facts="涉嫌以认定名义违规收取费用。",
                referred_on=today,
            )
        elif key == "revoked":
            after_filing.impose_sanction(
                filing, centre, kind=SanctionKind.CRITICISM, reason="违规收费，通报批评。", on=today
            )
            after_filing.revoke(filing, bureau, reason="伪造认定记录，情节严重，撤销备案。", on=today)
            referral = supervision.refer(
                centre,
                ground="institution",
                filing=filing,
                authority="天津市公安局",
                facts="伪造职业技能等级认定记录，涉嫌违法。",
                referred_on=today,
            )
            supervision.conclude_referral(
                referral, centre, outcome="已立案调查（演示）。", concluded_on=today
            )
    if not any_created:
        return ["filings (after filing): demo rows already present"]
    complaints.submit(
        name="匿名",
        contact="demo@example.org",
        institution_name="某培训机构",
        text="疑似未备案机构开展认定。",
    )
    try:
        supervision.random_draw(
            centre,
            period_start=today,
            period_end=today + timedelta(days=30),
            n_institutions=2,
            n_inspectors=1,
            seed="demo-2026",
        )
    except after_filing.WorkflowError:
        pass
    return [
        "filings (after filing): logins after1 (renewal window), after2 (rectification), after3 (revoked), password demo-2026;"
        f" blacklist entries {BlacklistEntry.objects.count()}"
    ]
