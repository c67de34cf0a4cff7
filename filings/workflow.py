"""Every state change of a filing, as one service function each (views, tasks and admin call these).

Each function runs in one transaction: it checks the role on the server (django-fsm
``has_transition_perm``), fires the transition, saves with optimistic locking, appends a named event
to the audit trail, notifies the applicant in the portal and schedules the e-mail after commit."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from eligibility import institution as conditions
from portal import audit, draws, errors, identifiers, outbox, roles, transitions, workdays
from portal.links import absolute_url
from portal.models import User

from . import constants, institutions, rounds
from .constants import MIN_EXPERTS, PersonRole, State
from .models import (
    SYSTEM,
    EvaluationBatch,
    ExpertDraw,
    ExpertReview,
    Filing,
    InstitutionCode,
    Objection,
    ObjectionState,
    SchoolWorkPlan,
    SequenceCounter,
)

# The portal's one error hierarchy, under the names the filings code and its callers use.
WorkflowError = errors.PortalError
StaleFiling = errors.Stale
NotPermitted = errors.NotPermitted
Step = transitions.Step


class Incomplete(WorkflowError):
    def __init__(self, missing: list[str]):
        self.missing = missing
        super().__init__(_("申请尚不完整：") + "；".join(missing))


# -- reading a filing ------------------------------------------------------------------------------


def application_data(filing: Filing, on: date | None = None) -> conditions.Application:
    """The form data as the pure condition rules read it."""
    rows = tuple(
        conditions.OccupationRow(
            code=o.occupation.code,
            name=o.occupation.name,
            levels=o.level_set,
            start_date=o.start_date,
            person_times=o.person_times,
            access_type=o.occupation.access_type,
            in_social_directory=o.occupation.in_social_directory,
            standard_year=o.occupation.standard_year,
            skill_type=o.occupation.skill_type,
            special_rule=o.occupation.special_rule,
        )
        for o in filing.occupations.select_related("occupation")
    )
    on = on or (timezone.localdate(filing.submitted_at) if filing.submitted_at else workdays.today())
    employer_filing = None
    if filing.route == constants.Route.SOCIAL and filing.kind == conditions.ENTERPRISE:
        employer_filing = employer_filing_number(filing, on)
    return conditions.Application(
        kind=filing.kind,
        route=filing.route,
        occupations=rows,
        on=on,
        employer_filing=employer_filing,
        organisation_code=identifiers.is_organisation_code(filing.credit_code),
    )


def employer_filing_number(filing: Filing, on: date) -> str:
    """The number of the employer (Y) filing in force on ``on`` held by the same institution (or the same
    credit code), "" when there is none (seed 003 二(六)2)."""
    held = (
        Filing.objects.filter(route=constants.Route.EMPLOYER, state=State.FILED)
        .filter(Q(institution_id=filing.institution_id) | Q(credit_code=filing.credit_code))
        .exclude(pk=filing.pk)
        .exclude(valid_until__lt=on)
        .order_by("-valid_until")
        .values_list("filing_number", flat=True)
        .first()
    )
    return held or ""


def institution_conditions(filing: Filing, on: date | None = None) -> list[conditions.Condition]:
    return conditions.evaluate(
        application_data(filing, on), social_directory_only=constants.social_directory_only()
    )


def missing_sections(filing: Filing) -> list[str]:
    """What still stops a submission, section by section (in Chinese)."""
    missing = []
    basic = [
        filing.name,
        filing.address,
        filing.registration_authority,
        filing.credit_code,
        filing.legal_representative,
        filing.contact_name,
        filing.contact_phone,
        filing.contact_email,
    ]
    if not all(basic):
        missing.append(_("一、基本信息：请填写名称、地址、注册登记机构、信用代码、法定代表人及联系人信息"))
    if not filing.occupations.exists():
        missing.append(_("二、申报职业（工种）：至少填写一个职业"))
    if not filing.site_description or not filing.it_description:
        missing.append(_("三、场地设备：请填写场地情况及计算机考务管理和视频监控情况"))
    roles_present = set(filing.people.values_list("role", flat=True))
    lacking = [str(label) for value, label in PersonRole.choices if value not in roles_present]
    if lacking:
        missing.append(_("四、人员情况：缺少%(roles)s") % {"roles": "、".join(lacking)})
    uploaded = set(filing.attachments.values_list("item", flat=True))
    absent = [
        str(label)
        for code, label, required in constants.checklist(filing.route, filing.kind, filing.group_branch)
        if required and code not in uploaded
    ]
    if absent:
        missing.append(_("五、申报材料：尚未上传 %(items)s") % {"items": "；".join(absent)})
    if is_school_package(filing):
        missing.extend(school_package_missing(filing, uploaded))
    if not filing.pledge_accepted or not filing.pledge_signatory:
        missing.append(_("六、诚信承诺：请勾选承诺并填写法定代表人姓名"))
    return missing


def recommended_sections(filing: Filing) -> list[str]:
    """What is recommended but does not stop a submission (in Chinese): the exam sites as a list, which
    the exam sessions of certification are checked against."""
    if filing.sites.exists():
        return []
    return [
        _(
            "三、考试场地：建议逐一填写考试场地（名称、地址、考场数、考位数、用途），"
            "备案后安排考试时将按所填场地核对考位数"
        )
    ]


def is_school_package(filing: Filing) -> bool:
    """A 技工院校 applying as a training evaluation organisation files the package of 辽人社〔2020〕32号 四(一)."""
    return filing.route == constants.Route.SOCIAL and filing.kind in conditions.TECHNICAL_SCHOOL_KINDS


def school_package_missing(filing: Filing, uploaded: set[str]) -> list[str]:
    """What a 技工院校's package still lacks (辽人社〔2020〕32号 四(一), 附件1 三 and 五 注, 附件2)."""
    missing = []
    if not filing.school_profile.strip():
        missing.append(_("三、技工院校：请填写专业设置、课程内容、校企合作情况（申请表 三）"))
    plan = SchoolWorkPlan.objects.filter(filing=filing).first() or SchoolWorkPlan(filing=filing)
    parts = plan.missing_parts()
    if parts:
        missing.append(_("工作方案（附件2）：请填写 %(parts)s") % {"parts": "；".join(parts)})
    external = constants.EXTERNAL_PEOPLE_ITEM[0]
    if filing.people.filter(external=True).exists() and external not in uploaded:
        missing.append(
            _("五、申报材料：有非本单位人员，请上传%(item)s") % {"item": constants.EXTERNAL_PEOPLE_ITEM[1]}
        )
    return missing


# -- plumbing ----------------------------------------------------------------------------------------


def applicants(filing: Filing):
    return User.objects.filter(institution_id=filing.institution_id, is_active=True)


def centre_staff():
    return User.objects.filter(groups__name=roles.CENTRE, is_active=True)


def notify_centre(text: str, url: str) -> None:
    """An in-portal notice to every active member of the centre."""
    for user in centre_staff():
        audit.notify(user, text, url)


def bureau_staff():
    return User.objects.filter(groups__name=roles.BUREAU, is_active=True).distinct()


def notify_bureau(text: str, url: str) -> None:
    """An in-portal notice to every active member of the bureau (what waits for its decision)."""
    for user in bureau_staff():
        audit.notify(user, text, url)


def tell_applicants(filing: Filing, text: str, url: str) -> list[str]:
    """An in-portal notice to each active user of the institution; returns the addresses to e-mail
    (theirs and the filing's contact address), sorted and each once."""
    recipients = set()
    for user in applicants(filing):
        audit.notify(user, text, url)
        if user.email:
            recipients.add(user.email)
    if filing.contact_email:
        recipients.add(filing.contact_email)
    return sorted(recipients)


def _filing_url(filing: Filing) -> str:
    return reverse("filings:detail", args=[filing.pk])


def notify_applicant(filing: Filing, event_row, text: str) -> None:
    """In-portal notification now; e-mail after commit through the portal's outbox."""
    url = _filing_url(filing)
    for address in tell_applicants(filing, text, url):
        outbox.queue(
            f"audit-{event_row.pk}-{address}"[:100],
            address,
            _("【技能认定门户】备案申请进度：%(text)s") % {"text": text},
            "\n".join(
                [
                    _("%(name)s：") % {"name": filing.name},
                    "",
                    _("您单位的评价机构备案申请（%(ref)s）%(text)s。")
                    % {"ref": filing.reference, "text": text},
                    _("请登录技能认定门户查看：%(url)s") % {"url": absolute_url(url)},
                ]
            ),
            about=filing,
        )


def run(filing, step: Step, actor, *, also=None, **options):
    """Fires a filing's step through the portal's transition engine; its notice goes to the applicant.
    ``also(filing, audit_row)``: a further notice in the same transaction (the bureau's, say)."""

    def tell_applicant(f, row):
        if step.notice:
            notify_applicant(f, row, step.notice)
        if also:
            also(f, row)

    return transitions.fire(filing, step, actor, after=tell_applicant, **options)


# -- deadlines ---------------------------------------------------------------------------------------


def review_deadline(filing: Filing) -> workdays.Deadline:
    """Preliminary review due: 5 working days after submission on both routes by default, a setting per
    route (constants; seed 001 第十条(二))."""
    submitted = timezone.localdate(filing.submitted_at)
    return workdays.deadline_after(submitted, constants.preliminary_review_days(filing.route))


def step_began(filing: Filing):
    """When the filing entered its current state (the newest trail event into it), else its submission:
    the start of the working days shown for a step without a limit (issue 29 item 9)."""
    row = Filing.objects.filter(pk=filing.pk).annotate(began=audit.entered_state(Filing)).values("began")
    return (row.first() or {}).get("began") or filing.submitted_at


def publicity_period(approved_on: date) -> tuple[workdays.Deadline, workdays.Deadline]:
    """Publicity starts on the first working day after approval and lasts 5 working days, the start
    day included: (start, end)."""
    start = workdays.deadline_after(approved_on, 1)
    end = workdays.deadline_after(start.date, constants.PUBLICITY_WORKING_DAYS - 1)
    provisional = start.provisional or end.provisional
    return start, workdays.Deadline(end.date, provisional, end.unknown_year or start.unknown_year)


def working_days_in(first: date, last: date) -> int:
    """Working days from ``first`` to ``last``, both included."""
    return workdays.working_days_between(first - timedelta(days=1), last)


def validity_end(filed_on: date) -> date:
    """The last day of a filing valid VALIDITY_YEARS years from ``filed_on``."""
    try:
        anniversary = filed_on.replace(year=filed_on.year + constants.VALIDITY_YEARS)
    except ValueError:  # 29 February
        anniversary = filed_on.replace(year=filed_on.year + constants.VALIDITY_YEARS, day=28) + timedelta(
            days=1
        )
    return anniversary - timedelta(days=1)


# -- applicant -------------------------------------------------------------------------------------


def open_filing(institution, user, route=constants.Route.EMPLOYER) -> Filing:
    """A new draft, pre-filled from the institution's profile; one open application per route."""
    if not roles.has_role(user, roles.APPLICANT) or user.institution_id != institution.pk:
        raise NotPermitted()
    busy = Filing.objects.filter(institution=institution, route=route).exclude(
        state__in=[*constants.CLOSED_STATES, State.FILED]
    )
    if busy.exists():
        raise WorkflowError(_("本单位已有一份同类型的备案申请在办理中，请继续办理该申请。"))
    refuse_blacklisted(institution.credit_code)
    with transaction.atomic():
        filing = new_draft(institution, route, user)
        audit.record("filing_created", filing, user, to_state=filing.state)
    return filing


def new_draft(institution, route, user, **fields) -> Filing:
    """The draft row, its name, code and contact copied from the institution's profile (no checks)."""
    return Filing.objects.create(
        institution=institution,
        route=route,
        name=institution.name,
        credit_code=institution.credit_code,
        contact_name=institution.contact_name,
        contact_phone=institution.contact_phone,
        contact_email=institution.contact_email,
        created_by=user,
        **fields,
    )


def refuse_blacklisted(credit_code: str) -> None:
    """A blacklisted credit code cannot open or submit a new filing application (seed 002 第六条)."""
    refusal = institutions.registration_refusal(credit_code)
    if refusal:
        raise WorkflowError(refusal)


def submit(filing: Filing, actor, *, expected_version=None, on: date | None = None) -> Filing:
    missing = missing_sections(filing)
    if missing:
        raise Incomplete(missing)
    refuse_blacklisted(filing.credit_code)  # the code may have been edited since the draft was opened
    # seed 003 二(六)2: an enterprise applies on the S route only with an employer (Y) filing in force
    data = application_data(filing, on or workdays.today())
    if data.employer_filing == "":
        raise WorkflowError(conditions.employer_filing_condition(data).reason)
    # seed 004 附件1: only a 技工院校 may file with an organisation code instead of the credit code
    if data.organisation_code and not conditions.organisation_code_condition(data).passed:
        raise WorkflowError(conditions.organisation_code_condition(data).reason)
    if filing.state == State.DRAFT:  # a return for correction is answered whenever the round has closed
        occupation_ids = filing.occupations.values_list("occupation_id", flat=True)
        refusal = rounds.intake_refusal(filing.route, on or workdays.today(), occupation_ids)
        if refusal:
            raise WorkflowError(refusal)

    def set_deadline(f):
        deadline = review_deadline(f)
        f.due_on, f.due_provisional = deadline.date, deadline.provisional
        f.overdue_flagged_on = None

    return run(
        filing,
        Step("submit", "filing_submitted", _("已提交，等待鉴定中心初审")),
        actor,
        expected_version=expected_version,
        before_save=set_deadline,
    )


# -- centre: preliminary review ---------------------------------------------------------------------


def _review_step(filing, actor, step: Step, comment, expected_version, *, required: str = ""):
    """A step of the centre's review with its comment (``required``: the message when it is missing)."""
    if required:
        comment = errors.require_text(comment, required)
    return run(filing, step, actor, comment=comment, expected_version=expected_version)


def return_for_correction(filing, actor, reasons, *, expected_version=None):
    step = Step("return_for_correction", "filing_returned", _("被退回补正，请按意见修改后重新提交"))
    return _review_step(
        filing, actor, step, reasons, expected_version, required=_("退回补正时必须填写需要补正的内容。")
    )


def reject(filing, actor, reasons, *, expected_version=None):
    step = Step("reject", "filing_rejected", _("不予受理"))
    return _review_step(
        filing, actor, step, reasons, expected_version, required=_("不予受理时必须填写理由。")
    )


def start_evaluation(filing, actor, comment="", *, expected_version=None):
    step = Step("start_evaluation", "evaluation_started", _("初审通过，进入专家评估"))
    return _review_step(filing, actor, step, comment, expected_version)


def assign(filing, actor, assignee, *, expected_version=None):
    if not roles.has_role(actor, roles.CENTRE):
        raise NotPermitted()
    if assignee is not None and not roles.has_role(assignee, roles.CENTRE, roles.BUREAU):
        raise WorkflowError(_("经办人必须是鉴定中心或市人社局工作人员。"))
    with transaction.atomic():
        transitions.check_version(filing, expected_version)
        filing.assignee = assignee
        transitions.save(filing)
        audit.record(
            "filing_assigned", filing, actor, internal=True, comment=assignee.display_name if assignee else ""
        )
    return filing


# -- expert evaluation ------------------------------------------------------------------------------


def expert_pool(filing) -> tuple[list[int], list[int]]:
    """(eligible expert user ids, excluded ids): active users of the expert group, minus those bound
    to the applicant institution (回避)."""
    experts = User.objects.filter(groups__name=roles.EXPERT, is_active=True).distinct()
    excluded = sorted(experts.filter(institution_id=filing.institution_id).values_list("pk", flat=True))
    pool = sorted(experts.exclude(pk__in=excluded).values_list("pk", flat=True))
    return pool, excluded


def draw_panel(filing, n: int, seed: str | None) -> tuple[list[int], list[int], str, list[int]]:
    """The panel for an evaluation of ``filing`` (its application or an added-scope change): (pool,
    excluded, seed, drawn), reproducible from the seed (portal.draws). Refused when the pool is short."""
    pool, excluded = expert_pool(filing)
    if len(pool) < n:
        raise WorkflowError(
            _("专家库中可抽取的专家只有 %(have)s 名，不足 %(n)s 名。") % {"have": len(pool), "n": n}
        )
    seed = seed or draws.new_seed()
    return pool, excluded, seed, draws.draw(pool, n, seed)


def check_scores(material, onsite, qa, opinion: str) -> str:
    """The three scores each within 0..MAX_SCORE and an opinion given; returns the opinion stripped."""
    for value in (material, onsite, qa):
        if value is None or not 0 <= int(value) <= constants.MAX_SCORE:
            raise WorkflowError(_("各项得分应在 0 至 %(max)s 之间。") % {"max": constants.MAX_SCORE})
    return errors.require_text(opinion, _("请填写专家意见。"))


def fill_score_sheet(locked_sheets, expert, subject: str, scores: dict, *, not_drawn: str, closed: str):
    """The drawn ``expert``'s score sheet among ``locked_sheets`` (select_for_update), filled with
    checked ``scores`` while its ``subject`` ("filing" or "change") is still under evaluation; saved."""
    review = locked_sheets.filter(expert=expert).first()
    if review is None:
        raise NotPermitted(not_drawn)
    if getattr(review, subject).state != State.UNDER_EVALUATION:  # the same value in both machines
        raise NotPermitted(closed)
    review.fill(**scores)
    review.save()
    return review


def average_total(reviews):
    """The panel's average of the submitted score sheets' totals (None before the first)."""
    totals = [r.total for r in reviews if r.submitted_at]
    return round(sum(totals) / len(totals), 2) if totals else None


def require_panel(reviews) -> None:
    """A panel concludes once at least MIN_EXPERTS of its experts have submitted (seed 001 第十条)."""
    done = reviews.filter(submitted_at__isnull=False).count()
    if done < MIN_EXPERTS:
        raise WorkflowError(
            _("已提交评估意见的专家 %(done)s 名，不足 %(n)s 名。") % {"done": done, "n": MIN_EXPERTS}
        )


def draw_experts(filing, actor, n: int = MIN_EXPERTS, seed: str | None = None) -> ExpertDraw:
    if not roles.has_role(actor, roles.CENTRE):
        raise NotPermitted()
    if n < MIN_EXPERTS:
        raise WorkflowError(_("评估专家不得少于 %(n)s 名。") % {"n": MIN_EXPERTS})
    with transaction.atomic():
        filing = Filing.objects.select_for_update().get(pk=filing.pk)
        if filing.state != State.UNDER_EVALUATION:
            raise NotPermitted(_("只有处于专家评估阶段的申请才能抽取专家。"))
        if filing.expert_reviews.filter(submitted_at__isnull=False).exists():
            raise WorkflowError(_("已有专家提交评估意见，不能重新抽取。"))
        pool, excluded, seed, drawn = draw_panel(filing, n, seed)
        filing.expert_reviews.all().delete()
        draw = ExpertDraw.objects.create(
            filing=filing, seed=seed, pool=pool, excluded=excluded, drawn=drawn, drawn_by=actor
        )
        experts = {u.pk: u for u in User.objects.filter(pk__in=drawn)}
        for pk in drawn:
            ExpertReview.objects.create(filing=filing, expert=experts[pk], draw=draw)
            audit.notify(
                experts[pk],
                _("您被抽取为“%(name)s”备案申请的评估专家，请登录评分。") % {"name": filing.name},
                reverse("filings:expert_review", args=[filing.pk]),
            )
        audit.record(
            "experts_drawn",
            filing,
            actor,
            internal=True,
            comment="、".join(experts[pk].display_name for pk in drawn),
            seed=seed,
            pool=pool,
            drawn=drawn,
        )
    return draw


def score(
    filing, expert, *, material: int, onsite: int, qa: int, opinion: str, recommend: bool
) -> ExpertReview:
    opinion = check_scores(material, onsite, qa, opinion)
    scores = {"material": material, "onsite": onsite, "qa": qa, "opinion": opinion, "recommend": recommend}
    with transaction.atomic():
        review = fill_score_sheet(
            ExpertReview.objects.select_for_update().filter(filing=filing).select_related("filing"),
            expert,
            "filing",
            scores,
            not_drawn=_("您不是该申请的评估专家。"),
            closed=_("该申请已结束专家评估，不能再评分。"),
        )
        audit.record(
            "expert_scored", review.filing, expert, internal=True, comment=opinion, total=review.total
        )
    return review


def panel_average(filing):
    return average_total(filing.expert_reviews.all())


# -- social organisations: evaluation batches (统筹择优, seed 001 第十条(三)) -------------------------


def waiting_for_batch():
    """Social organisations under evaluation that no batch holds yet."""
    return Filing.objects.filter(
        route=constants.Route.SOCIAL, state=State.UNDER_EVALUATION, batch__isnull=True
    )


def create_batch(name: str, actor) -> tuple[EvaluationBatch, int]:
    """The centre gathers every waiting social organisation into a new batch: (batch, how many)."""
    roles.require(actor, roles.CENTRE)
    name = errors.require_text(name, _("请填写批次名称。"))
    with transaction.atomic():
        batch = EvaluationBatch.objects.create(name=name, created_by=actor)
        count = waiting_for_batch().update(batch=batch)
    return batch, count


def ranked(batch) -> list:
    """The batch's filings ranked by the panel's average, best first, unscored last; each with
    ``average`` and ``scored`` (how many experts submitted)."""
    filings = list(batch.filings.prefetch_related("expert_reviews"))
    for filing in filings:
        filing.average = panel_average(filing)
        filing.scored = sum(1 for r in filing.expert_reviews.all() if r.submitted_at)
    filings.sort(key=lambda f: (f.average is None, -(f.average or 0), f.name))
    return filings


def conclude(filing, actor, *, recommend: bool, comment: str, expected_version=None):
    """The centre's conclusion after the panel: recommend to the bureau, or refuse."""
    comment = errors.require_text(comment, _("请填写中心评估意见。"))
    require_panel(filing.expert_reviews)

    def keep(f):
        f.evaluation_score = panel_average(f)
        f.recommendation = comment

    def tell_bureau(f, row):
        notify_bureau(
            _("“%(name)s”的备案申请（%(ref)s）已完成专家评估，等待市人社局审核。")
            % {"name": f.name, "ref": f.reference},
            _filing_url(f),
        )

    if recommend:
        step = Step("conclude_evaluation", "evaluation_concluded", _("专家评估完成，已报市人社局审核"))
    else:
        step = Step("reject", "filing_rejected", _("未通过专家评估"))
    return run(
        filing,
        step,
        actor,
        comment=comment,
        expected_version=expected_version,
        before_save=keep,
        also=tell_bureau if recommend else None,
    )


# -- bureau ------------------------------------------------------------------------------------------


def approve(filing, actor, comment="", *, expected_version=None, on: date | None = None):
    on = on or workdays.today()
    start, end = publicity_period(on)

    def schedule(f):
        f.publicity_start, f.publicity_end = start.date, end.date
        f.due_on, f.due_provisional = start.date, start.provisional

    return run(
        filing,
        Step(
            "approve", "bureau_approved", _("市人社局审核通过，将于 %(date)s 起公示") % {"date": start.date}
        ),
        actor,
        comment=comment,
        expected_version=expected_version,
        before_save=schedule,
    )


# -- publicity ---------------------------------------------------------------------------------------


def open_publicity(filing, actor=SYSTEM, *, on: date | None = None):
    on = on or workdays.today()
    if filing.publicity_start and on < filing.publicity_start:
        raise WorkflowError(_("公示开始日期为 %(date)s，尚未到期。") % {"date": filing.publicity_start})

    def due(f):
        f.due_on = f.publicity_end

    return run(
        filing,
        Step(
            "start_publicity",
            "publicity_started",
            _("公示开始，公示期至 %(date)s") % {"date": filing.publicity_end},
        ),
        actor,
        before_save=due,
    )


def has_open_objection(filing) -> bool:
    return filing.objections.filter(state=ObjectionState.OPEN).exists()


def raise_objection(filing, *, name, contact, text, attachment_name="", ip_hash="") -> Objection:
    with transaction.atomic():
        filing = Filing.objects.select_for_update().get(pk=filing.pk)
        if filing.state != State.IN_PUBLICITY:
            raise WorkflowError(_("该机构不在公示期内，不能提出异议。"))
        objection = Objection.objects.create(
            filing=filing, name=name, contact=contact, text=text, attachment=attachment_name, ip_hash=ip_hash
        )
        row = audit.record(
            "objection_raised", filing, None, internal=True, comment=text, objection=objection.pk
        )
        notify_applicant(filing, row, _("公示期间收到异议，正在核查"))
        notify_centre(_("“%(name)s”公示期间收到异议，请处理。") % {"name": filing.name}, _filing_url(filing))
    return objection


def publicity_ended(filing, on: date | None = None) -> bool:
    on = on or workdays.today()
    return filing.publicity_end is not None and on > filing.publicity_end


def close_publicity(filing, actor=SYSTEM, *, on: date | None = None):
    on = on or workdays.today()
    if not publicity_ended(filing, on):
        raise WorkflowError(_("公示期至 %(date)s，尚未期满。") % {"date": filing.publicity_end})
    if has_open_objection(filing):
        raise WorkflowError(_("存在尚未处理的异议，公示暂停。"))
    return run(filing, Step("close_publicity", "publicity_closed", _("公示期满无异议，等待备案")), actor)


def resolve_objection(objection: Objection, actor, *, upheld: bool, resolution: str, on: date | None = None):
    """The centre upholds or dismisses an objection: its own step (``uphold`` / ``dismiss``) fired
    through the engine under a row lock, its named event on the filing's trail (internal); an upheld
    objection refuses the filing, a dismissed last one may close the publicity."""
    resolution = errors.require_text(resolution, _("请填写异议处理意见。"))
    if not roles.has_role(actor, roles.CENTRE):
        raise NotPermitted()
    with transaction.atomic():
        objection = Objection.objects.select_for_update().select_related("filing").get(pk=objection.pk)
        if objection.state != ObjectionState.OPEN:
            raise StaleFiling(_("该异议已被他人处理，请刷新后重试"))

        def keep(o):
            o.resolved_by, o.resolved_at, o.resolution = actor, timezone.now(), resolution

        filing = objection.filing
        transitions.fire(
            objection,
            Step("uphold", "objection_upheld") if upheld else Step("dismiss", "objection_dismissed"),
            actor,
            comment=resolution,
            internal=True,
            before_save=keep,
            trail=filing,
            objection=objection.pk,
        )
        if upheld:
            run(
                filing,
                Step("reject_after_objection", "filing_rejected", _("公示异议经核查成立，不予备案")),
                actor,
                comment=resolution,
            )
        elif publicity_ended(filing, on) and not has_open_objection(filing):
            close_publicity(filing, actor, on=on)
    return objection


# -- record filing -----------------------------------------------------------------------------------


def allocate_sequence(city_code: str, institution_type: int) -> str:
    """The next 6-digit institution sequence (seed 004 附件5 四) under a row lock: 2-digit city, 1-digit
    type, 3-digit order in filing order, never reused. Call inside a transaction."""
    if not (len(city_code) == 2 and city_code.isdigit() and city_code != "00"):
        raise WorkflowError(_("市/区代码应为 01-99 的两位数字。"))
    if institution_type not in constants.InstitutionType.values:
        raise WorkflowError(_("机构类型代码应为 1-6。"))
    prefix = f"{city_code}{institution_type}"
    SequenceCounter.objects.get_or_create(prefix=prefix)
    counter = SequenceCounter.objects.select_for_update().get(prefix=prefix)
    if counter.last >= constants.SEQUENCE_ORDER_MAX:
        raise WorkflowError(_("该市/区和机构类型下的序列号已用完（999）。"))
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{prefix}{counter.last:03d}"


def record_publication(
    filing,
    actor,
    *,
    published_on: date,
    ministry_report: str = "",
    expected_version=None,
    on: date | None = None,
):
    """seed 001 第十条(五): 对公示无异议的评价机构，由市鉴定中心向部鉴定中心报备; once the ministry's
    评价机构公示查询系统 has published the institution, the centre records the date (and who recorded it)
    as its own step; only then is the 准予备案通知 issued (record_filing)."""
    on = on or workdays.today()
    if published_on is None:
        raise WorkflowError(_("请填写部评价机构公示查询系统公布日期。"))
    if published_on > on:
        raise WorkflowError(_("公布日期不能晚于今天。"))
    if filing.publicity_end and published_on < filing.publicity_end:
        raise WorkflowError(_("公布日期不能早于公示截止日期（%(end)s）。") % {"end": filing.publicity_end})

    def keep(f):
        f.ministry_published_on = published_on
        f.ministry_published_by = actor if getattr(actor, "pk", None) else None
        if ministry_report:
            f.ministry_report = ministry_report

    return run(
        filing,
        Step(
            "publish",
            "filing_published_by_ministry",
            _("已在人力资源社会保障部评价机构公示查询系统公布，等待市鉴定中心发给准予备案通知"),
        ),
        actor,
        comment=ministry_report,
        expected_version=expected_version,
        before_save=keep,
    )


def record_filing(
    filing,
    actor,
    *,
    city_code: str | None = None,
    institution_type: int | None = None,
    route_code: str = constants.PROVINCE_ROUTE_CODE,
    ministry_report: str = "",
    expected_version=None,
    on: date | None = None,
):
    from django.conf import settings

    on = on or workdays.today()
    route_code = (route_code or constants.PROVINCE_ROUTE_CODE).strip()
    if not (len(route_code) == 4 and route_code.isdigit()):
        raise WorkflowError(_("备案途径代码应为 4 位数字（向省级备案为 0000，部级赋码为 0001-9999）。"))
    city_code = city_code or constants.default_city_code()
    institution_type = int(institution_type or constants.default_institution_type(filing.kind))
    if not (len(city_code) == 2 and city_code.isdigit() and city_code != "00"):
        raise WorkflowError(_("市/区代码应为 01-99 的两位数字。"))
    province = settings.PROVINCE_CODE

    def assign_code(f):
        code = InstitutionCode.objects.filter(institution_id=f.institution_id, route=f.route).first()
        if code is None:
            code = InstitutionCode.objects.create(
                institution_id=f.institution_id,
                route=f.route,
                route_code=route_code,
                province_code=province,
                sequence=allocate_sequence(city_code, institution_type),
                city_code=city_code,
                institution_type=institution_type,
            )
        f.route_code, f.province_code, f.institution_sequence = (
            code.route_code,
            code.province_code,
            code.sequence,
        )
        f.filed_on = on
        f.valid_from, f.valid_until = on, validity_end(on)
        f.filing_number = f"{f.route}{f.institution_code}-{on:%Y%m%d}"
        if ministry_report:
            f.ministry_report = ministry_report
        f.due_on = None

    try:
        return run(
            filing,
            Step("record", "filing_recorded", _("准予备案")),
            actor,
            comment=ministry_report,
            expected_version=expected_version,
            before_save=assign_code,
        )
    except IntegrityError:
        raise transitions.stale(filing) from None


# -- scheduled ---------------------------------------------------------------------------------------


def expire_filing(filing, on: date | None = None):
    return run(filing, Step("expire", "filing_expired", _("备案有效期已届满")), SYSTEM)


def overdue_reviews(on: date):
    return Filing.objects.filter(state__in=constants.REVIEW_CLOCK_STATES, due_on__lt=on).filter(
        Q(overdue_flagged_on__isnull=True) | Q(overdue_flagged_on__lt=on)
    )
