"""Demo filings (idempotent), driven through the real workflow so every row has its audit trail:

- the demo applicant (``applicant``, 天津市海河装备制造有限公司) is filed (route Y) for three occupations
  of the directory, with staff, experts, assessors and supervisors (certification and certificates
  build their demos on it);
- ``applicant2`` (天津市烹饪协会) has a draft social-organisation application;
- one demo institution per remaining state, so every staff queue has rows (an overdue and an amber
  review among them), an expert panel half-scored, a batch of social organisations, an objection.

Then the life-after-filing demo (filings.demo_after) is loaded."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from stdnum.cn import ric, uscc

from eligibility.institution import TECHNICAL_SCHOOL_KINDS
from portal import workdays
from portal.models import Institution, Occupation, User
from portal.notices import cite

from . import workflow
from .constants import PersonRole, Route, State, checklist
from .models import (
    ApplicationRound,
    Attachment,
    EvaluationBatch,
    Filing,
    FilingEquipment,
    FilingOccupation,
    FilingPerson,
    FilingSite,
    SchoolWorkPlan,
)

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

# state it ends in, institution name, 17-character credit code body, route, kind
DEMO_INSTITUTIONS = [
    ("submitted_overdue", "天津市滨海新区示范电气设备有限公司", "91120116MA05FL001", "Y", "enterprise"),
    ("submitted_soon", "天津市西青区精密机械有限公司", "91120111MA05FL002", "Y", "enterprise"),
    ("submitted", "天津市轻工职业技能培训学校", "52120104MA05FL003", "S", "other"),
    ("returned", "天津市东丽区汽车维修有限公司", "91120110MA05FL004", "Y", "enterprise"),
    # an S application of an "other organisation": an enterprise applies on the S route only with a Y filing
    # (seed 003 二(六)2), which this one would not hold
    ("rejected", "天津市某职业培训评价中心", "52120102MA05FL005", "S", "other"),
    ("under_evaluation", "天津市家政服务协会", "51120000MA05FL006", "S", "industry_association"),
    ("under_evaluation_batch", "天津市美容美发行业协会", "51120000MA05FL007", "S", "industry_association"),
    # a 技工院校 past its 核验, with its own package (辽人社〔2020〕32号 四(一), 附件1-2): on the 申请备案表 (附件3)
    ("evaluated", "天津市第一技师学院", "12120000MA05FL008", "S", "technician_college"),
    ("approved", "天津市宝坻区建筑工程有限公司", "91120115MA05FL009", "Y", "enterprise"),
    ("in_publicity", "天津市茶叶流通协会", "51120000MA05FL010", "S", "industry_association"),
    ("awaiting_record", "天津市静海区纺织有限公司", "91120118MA05FL011", "Y", "enterprise"),
    ("published", "天津市武清区电梯安装有限公司", "91120114MA05FL013", "Y", "enterprise"),
]

# Staffed enough to submit a plan of 12 candidates under the staffing rule (certification.rules:
# 1 assessor per 5 candidates, at least 3 and an odd number; 2 invigilators per room; 1 supervisor),
# issue 29 items 2 and 14: 5 assessors, 3 staff (the invigilators), 2 supervisors.
PEOPLE = [
    (PersonRole.STAFF, "刘工作", "", "人力资源部主管", "本科", "认定组织实施"),
    (PersonRole.STAFF, "马考务", "", "考务专员", "本科", "考务组织、监考"),
    (PersonRole.STAFF, "郭考务", "", "考务专员", "大专", "考务组织、监考"),
    (PersonRole.EXPERT, "陈专家", "天津职业技术师范大学", "教授", "研究生", "机械制造"),
    (PersonRole.ASSESSOR, "杨考评", "本单位", "高级技师", "大专", "车工、钳工"),
    (PersonRole.ASSESSOR, "何考评", "本单位", "高级技师", "大专", "焊工"),
    (PersonRole.ASSESSOR, "罗考评", "本单位", "技师", "大专", "中式烹调"),
    (PersonRole.ASSESSOR, "高考评", "本单位", "高级技师", "本科", "车工"),
    (PersonRole.ASSESSOR, "林考评", "本单位", "技师", "大专", "钳工、焊工"),
    (PersonRole.SUPERVISOR, "黄督导", "本单位", "质量部经理", "本科", ""),
    (PersonRole.SUPERVISOR, "宋督导", "本单位", "质量部主管", "本科", ""),
]


TECHNICIAN_CODE = "4-03-02-01"  # 中式烹调师


def _code(body: str) -> str:
    return body + uscc.calc_check_digit(body)


def _id(n: int) -> str:
    body = f"12010319800101{n % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def _fill(filing: Filing, occupations, n: int) -> None:
    """Every section of the form, so the filing can be submitted."""
    filing.address = "天津市河西区友谊路 20 号"
    filing.registration_authority = "天津市市场监督管理委员会"
    filing.legal_representative = "张法人"
    filing.legal_representative_title = "董事长"
    filing.registered_capital = "5000 万元"
    filing.contact_title = "人力资源部部长"
    filing.advantages = "参与编写行业培训教材 3 部，拥有完善的技能人才培养体系。"
    filing.site_description = "理论考场 2 间（80 座），实操考场 1,200 平方米，工位 60 个。"
    filing.it_description = "考务管理计算机 80 台，考场全程高清视频监控，录像保存 1 年以上。"
    filing.pledge_accepted = True
    filing.pledge_signatory = "张法人"
    if filing.route == "S" and filing.kind in TECHNICAL_SCHOOL_KINDS:
        filing.school_profile = (
            "设烹饪、数控加工等 12 个专业，在校生 3,200 人；与 8 家企业开展校企合作、共建实训基地。"
        )
        SchoolWorkPlan.objects.update_or_create(
            filing=filing,
            defaults={
                "basics": "学校简介、专业设置、培训工种及多年职业技能鉴定工作情况。",
                "organisation": "设职业技能等级认定办公室，校长任组长，教务处、实训处分工负责。",
                "occupations": "中式烹调师 三至五级，依据国家职业技能标准（2018 年版），使用省级题库。",
                "process": "报名、资格审核、考核、成绩评定、结果公示、证书发放。",
                "content": "理论知识考试（机考）与技能操作考核。",
                "quality": "考评员回避制度、质量督导员全程督导、考场全程视频监控并留存。",
            },
        )
    filing.save()
    levels = "345" if filing.kind != "technical_school" else "45"
    for i, occupation in enumerate(occupations):
        FilingOccupation.objects.create(
            filing=filing,
            occupation=occupation,
            # The demo applicant (n 0) also certifies 技师 of 中式烹调师, so a technician plan with a
            # comprehensive review can be shown (issue 29 item 14).
            levels="2" + levels if n == 0 and occupation.code == TECHNICIAN_CODE else levels,
            start_date=workdays.today().replace(year=workdays.today().year - 8 - i, day=1),
            person_times=9_000 + 500 * i,
            basis="national_standard",
        )
    for i, (role, name, employer, title, education, field) in enumerate(PEOPLE):
        FilingPerson.objects.create(
            filing=filing,
            role=role,
            name=name,
            id_number=_id(n * 20 + i),
            employer=employer or filing.name,
            title=title,
            education=education,
            field=field,
        )
    FilingSite.objects.create(
        filing=filing,
        name="理论考试中心",
        address=f"{filing.address}（主楼三层）",
        rooms=4,
        seats=120,
        use="theory",
    )
    FilingSite.objects.create(
        filing=filing,
        name="实训基地",
        address=f"{filing.address}（实训楼）",
        rooms=2,
        seats=40,
        use="practical",
    )
    FilingEquipment.objects.create(
        filing=filing, name="数控车床", brand="沈阳机床", model="CAK6150", quantity=12
    )
    FilingEquipment.objects.create(filing=filing, name="考务计算机", brand="联想", model="M720", quantity=80)
    for code, label, required in checklist(filing.route, filing.kind, filing.group_branch):
        if required:
            attachment = Attachment(
                filing=filing, item=code, original_name=f"{label[:20]}.pdf", content_kind="pdf", size=len(PDF)
            )
            attachment.file.save(f"filings/demo/{filing.pk}-{code}.pdf", ContentFile(PDF), save=False)
            attachment.save()


def _applicant_for(institution, username=None):
    user = User.objects.filter(username=username).first() if username else None
    return user or User.objects.filter(institution=institution).first()


def _new_filing(institution, route, kind, user, occupations, n):
    filing = workflow.new_draft(institution, route, user, kind=kind)
    _fill(filing, occupations, n)
    return filing


def _to_state(filing, target, staff, n, today):
    """Drives a complete draft through the workflow to ``target``."""
    centre, bureau, experts, applicant = staff
    if target == "draft":
        return
    workflow.submit(filing, applicant)
    if target in ("submitted", "submitted_overdue", "submitted_soon"):
        if target == "submitted_overdue":
            Filing.objects.filter(pk=filing.pk).update(due_on=today - timedelta(days=3))
        elif target == "submitted_soon":
            Filing.objects.filter(pk=filing.pk).update(due_on=workdays.deadline_after(today, 1).date)
        return
    if target == "returned":
        workflow.return_for_correction(filing, centre, "请补充场地权属证明和上年度财务审计报告。")
        return
    if target == "rejected":
        workflow.reject(filing, centre, f"企业面向本企业职工评价规模不足 500 人次（{cite('seed 000 二')}）。")
        return
    workflow.start_evaluation(filing, centre, "材料齐全，符合申报条件。")
    workflow.draw_experts(filing, centre, seed=f"demo-{n}")
    reviews = list(filing.expert_reviews.select_related("expert"))
    scored = reviews[:2] if target.startswith("under_evaluation") else reviews
    for i, review in enumerate(scored):
        workflow.score(
            filing,
            review.expert,
            material=76 + (n * 7) % 17 + i,  # panels differ, so a batch ranks
            onsite=88 - i,
            qa=82 + 2 * i,
            opinion="材料齐全，场地设备满足要求，质量管控措施完善。",
            recommend=True,
        )
    if target.startswith("under_evaluation"):
        return
    workflow.conclude(filing, centre, recommend=True, comment="专家评估平均分 85 分以上，建议予以备案。")
    if target == "evaluated":
        return
    if target == "approved":
        workflow.approve(filing, bureau, "同意。", on=today)
        return
    # Publicity started a few days ago (in_publicity) or ended (awaiting_record, filed).
    back = {"in_publicity": 4, "awaiting_record": 20}.get(target, 45)
    workflow.approve(filing, bureau, "同意。", on=today - timedelta(days=back))
    filing.refresh_from_db()
    workflow.open_publicity(filing, centre, on=filing.publicity_start)
    if target == "in_publicity":
        workflow.raise_objection(
            filing, name="王先生", contact="13800000000", text="该协会的实操考场面积与申报不符。"
        )
        return
    workflow.close_publicity(filing, centre, on=filing.publicity_end + timedelta(days=1))
    if target == "awaiting_record":
        return
    # seed 001 第十条(五): reported to the ministry centre, published on its system, then the notice.
    published_on = min(filing.publicity_end + timedelta(days=3), today)
    workflow.record_publication(
        filing,
        centre,
        published_on=published_on,
        ministry_report="已向部鉴定中心报备。",
        on=today,
    )
    if target == "published":
        return
    workflow.record_filing(filing, centre, city_code="01", on=max(published_on, today - timedelta(days=10)))


def load() -> list[str]:
    occupations = list(
        Occupation.objects.filter(in_social_directory=True, access_type=False).order_by("code")
    )
    centre = User.objects.filter(username="centre").first()
    bureau = User.objects.filter(username="bureau").first()
    experts = list(User.objects.filter(username__startswith="expert"))
    if len(occupations) < 3 or centre is None or bureau is None or len(experts) < 3:
        return [
            "filings: demo skipped (occupations, demo staff or experts missing: run load_reference first)"
        ]
    lines = []
    today = workdays.today()
    with transaction.atomic():
        # The bureau's open round (seed 001 第十条(一)): the demo applications are submitted inside it.
        if not ApplicationRound.objects.exists():
            ApplicationRound.objects.create(
                title=f"{today.year}年评价机构备案申报（演示）",
                opens_on=today - timedelta(days=60),
                closes_on=today + timedelta(days=60),
                notice="全年分批受理，符合条件的用人单位和社会培训评价组织均可申报。",
                published_by=bureau,
            )
            lines.append("filings: an open application round")
        # The demo applicant: filed for three occupations.
        applicant = User.objects.filter(username="applicant").select_related("institution").first()
        if applicant and applicant.institution and not applicant.institution.filings.exists():
            picks = [
                o for o in occupations if o.code in ("6-18-01-01", "6-18-01-02", "4-03-02-01")
            ] or occupations[:3]
            filing = _new_filing(applicant.institution, Route.EMPLOYER, "enterprise", applicant, picks[:3], 0)
            _to_state(filing, "filed", (centre, bureau, experts, applicant), 0, today)
            filing.refresh_from_db()
            lines.append(
                f"filings: {filing.name} filed, institution code {filing.route}{filing.institution_code}"
            )
        applicant2 = User.objects.filter(username="applicant2").select_related("institution").first()
        if applicant2 and applicant2.institution and not applicant2.institution.filings.exists():
            filing = _new_filing(
                applicant2.institution, Route.SOCIAL, "industry_association", applicant2, occupations[:2], 1
            )
            lines.append(f"filings: {filing.name} has a draft")
        created = 0
        for n, (target, name, body, route, kind) in enumerate(DEMO_INSTITUTIONS, start=2):
            institution, _ = Institution.objects.get_or_create(
                credit_code=_code(body),
                defaults={
                    "name": name,
                    "contact_name": "演示联系人",
                    "contact_phone": "022-58880000",
                    "contact_email": f"demo{n}@example.org",
                },
            )
            if institution.filings.exists():
                continue
            user, fresh = User.objects.get_or_create(
                username=f"demo-inst{n}",
                defaults={
                    "institution": institution,
                    "email": f"demo{n}@example.org",
                    "first_name": "演示联系人",
                },
            )
            if fresh:
                from django.contrib.auth.models import Group

                from portal.demo import DEMO_PASSWORD
                from portal.roles import APPLICANT

                user.set_password(DEMO_PASSWORD)
                user.save()
                user.groups.add(Group.objects.get(name=APPLICANT))
            picks = occupations[(n * 3) % len(occupations) :][:2] or occupations[:2]
            filing = _new_filing(institution, route, kind, user, picks, n)
            _to_state(filing, target, (centre, bureau, experts, user), n, today)
            created += 1
        if created:
            batch = EvaluationBatch.objects.create(
                name="2026 年社会培训评价组织第一批遴选", created_by=centre
            )
            Filing.objects.filter(
                route=Route.SOCIAL, state=State.UNDER_EVALUATION, batch__isnull=True
            ).update(batch=batch)
            lines.append(f"filings: {created} demo institutions, one per workflow state")
    lines += _seals(centre)
    try:
        from . import demo_after
    except ImportError:  # life after filing not installed
        return lines
    return lines + (demo_after.load() or [])


def seal_image(text_rows: int = 3) -> bytes:
    """A round red seal on a transparent background (ring, star, a few lines of "text"), 480 px."""
    import io

    from PIL import Image, ImageDraw

    size = 480
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    red = (205, 22, 30, 255)
    draw.ellipse((12, 12, size - 12, size - 12), outline=red, width=18)
    c, r = size / 2, 62
    draw.polygon(
        [(c, c - r), (c + r * 0.3, c - r * 0.3), (c + r, c - r * 0.3), (c + r * 0.45, c + r * 0.15),
         (c + r * 0.65, c + r), (c, c + r * 0.45), (c - r * 0.65, c + r), (c - r * 0.45, c + r * 0.15),
         (c - r, c - r * 0.3), (c - r * 0.3, c - r * 0.3)],
        fill=red,
    )  # fmt: skip
    for i in range(text_rows):
        y = 330 + i * 26
        draw.rectangle((150 + i * 10, y, size - 150 - i * 10, y + 12), fill=red)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _seals(centre) -> list[str]:
    """The demo applicant's seal in use, applicant2's waiting for the centre, the two offices' seals."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from . import seals
    from .models import Seal, SealOwner

    if Seal.objects.exists():
        return []
    admin = User.objects.filter(is_superuser=True).first()
    if admin is not None:
        for owner in (SealOwner.CENTRE, SealOwner.BUREAU):
            seals.install_office_seal(owner, SimpleUploadedFile("seal.png", seal_image(2)), admin)
    for username, decide in (("applicant", True), ("applicant2", False)):
        user = User.objects.filter(username=username).select_related("institution").first()
        if user is None or user.institution is None:
            continue
        seal = seals.request_change(
            user.institution, SimpleUploadedFile("seal.png", seal_image()), user, "首次启用"
        )
        if decide:
            seals.approve(seal, centre, "印章清晰，准予启用")
    return ["filings: seals (the applicant's in use, applicant2's waiting, the centre's and the bureau's)"]
