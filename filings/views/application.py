"""Thin views over filings.workflow: every view checks who is asking on the server; another
institution's filing, attachment or PDF is a 404."""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition

from portal import audit, bulk, dashboards, errors, roles, steps, transitions, workdays
from portal.post_only import post_only
from portal.ratelimit import hashed_ip, ratelimit
from portal.uploads import random_name, stored_files

from .. import constants, directory, documents, page_cache, rounds, school_record, workflow
from ..constants import State
from ..forms.application import (
    AssignForm,
    BulkForm,
    CommentForm,
    ObjectionForm,
    PublicationForm,
    QueueFilterForm,
    RecordForm,
    ScoreForm,
    application_forms,
    clean_attachment,
)
from ..models import (
    Attachment,
    EvaluationBatch,
    ExpertReview,
    Filing,
    FilingOccupation,
    Objection,
    SchoolWorkPlan,
)

# -- who may see what -------------------------------------------------------------------------------


def visible_filings(user):
    """The filings ``user`` may open: all for centre and bureau, the own institution's for an
    applicant, the assigned ones for an expert."""
    if roles.is_staff_reviewer(user):
        return Filing.objects.all()
    q = Q(pk__in=[])
    if roles.has_role(user, roles.APPLICANT) and user.institution_id:
        q |= Q(institution_id=user.institution_id)
    if roles.has_role(user, roles.EXPERT):
        q |= Q(expert_reviews__expert=user)
    return Filing.objects.filter(q).distinct()


def _get_visible(request, pk) -> Filing:
    return get_object_or_404(visible_filings(request.user).select_related("institution", "assignee"), pk=pk)


def _own_filing(request, pk) -> Filing:
    if not roles.has_role(request.user, roles.APPLICANT) or not request.user.institution_id:
        raise Http404
    return get_object_or_404(Filing, pk=pk, institution_id=request.user.institution_id)


def _deadline_class(due, today, soon) -> str:
    if due is None:
        return ""
    if due < today:
        return "row-overdue"
    if due <= soon:
        return "row-due-soon"
    return ""


# -- applicant ---------------------------------------------------------------------------------------


@login_required
def my_filings(request):
    if not roles.has_role(request.user, roles.APPLICANT) or not request.user.institution_id:
        raise Http404
    rows = Filing.objects.filter(institution_id=request.user.institution_id).order_by("-created_at")
    return render(
        request,
        "filings/my_filings.html",
        {
            "rows": rows,
            "routes": constants.Route.choices,
            # Whether each route takes applications now (seed 001 第十条(一): the bureau's rounds).
            "intake": rounds.intake_notes(workdays.today(), constants.Route.choices),
            "breadcrumbs": [(_("我的备案申请"), None)],
        },
    )


def _applicant_home(request):
    if not roles.has_role(request.user, roles.APPLICANT) or not request.user.institution_id:
        raise Http404
    return reverse("filings:mine")


@login_required
@post_only(_applicant_home)
def new_filing(request):
    if not roles.has_role(request.user, roles.APPLICANT) or not request.user.institution_id:
        raise Http404
    route = request.POST.get("route", constants.Route.EMPLOYER)
    if route not in constants.Route.values:
        route = constants.Route.EMPLOYER
    try:
        filing = workflow.open_filing(request.user.institution, request.user, route)
    except workflow.WorkflowError as error:
        messages.error(request, str(error))
        return redirect("filings:mine")
    messages.success(request, _("已创建备案申请草稿，可随时保存。"))
    return redirect("filings:edit", filing.pk)


@dataclass
class _CheckedUploads:
    """The checklist files of one POST, all checked before anything is stored."""

    valid: list  # [(item, upload, kind)]
    refused: dict  # {item: message}


def _check_uploads(request, filing) -> _CheckedUploads:
    items = dict(
        (code, label)
        for code, label, _required in constants.checklist(filing.route, filing.kind, filing.group_branch)
    )
    checked = _CheckedUploads(valid=[], refused={})
    for key, upload in request.FILES.items():
        item = key[4:] if key.startswith("att_") else ""
        if item not in items:
            continue
        try:
            checked.valid.append((item, upload, clean_attachment(upload)))
        except ValidationError as error:  # say which file and why
            checked.refused[item] = _("“%(name)s”未能上传：%(why)s") % {
                "name": upload.name,
                "why": " ".join(error.messages),
            }
    return checked


def _store_uploads(files, request, filing, checked: _CheckedUploads) -> None:
    """Inside the save's stored_files block: a file written here goes if the save fails. A one-file
    item (constants.SINGLE_FILE_ITEMS) uploaded again replaces its file; a file uploaded again under
    the same name to a several-file item replaces that file, so the slot does not list it twice
    (issue 29 item 10)."""
    for item, upload, kind in checked.valid:
        name = upload.name[:200]
        replaced = filing.attachments.filter(item=item)
        if item not in constants.SINGLE_FILE_ITEMS:
            replaced = replaced.filter(original_name=name)
        for old in replaced:
            files.delete_after_commit(old.file.name, old.file.storage)
            old.delete()
        attachment = Attachment(
            filing=filing,
            item=item,
            original_name=name,
            content_kind=kind,
            size=upload.size,
            uploaded_by=request.user,
        )
        files.save_field(attachment.file, random_name("filings", kind), upload)
        attachment.save()


def _refused_upload_messages(request, filing, checked: _CheckedUploads) -> None:
    labels = dict(
        (code, label)
        for code, label, _required in constants.checklist(filing.route, filing.kind, filing.group_branch)
    )
    for item, text in checked.refused.items():
        messages.error(request, f"{labels[item]}：{text}")
    if checked.valid:
        names = "、".join(f"“{upload.name}”" for _item, upload, _kind in checked.valid)
        messages.error(
            request,
            _(
                "本次未保存任何内容。其他文件（%(names)s）检查通过但也未保存：浏览器不能保留已选择的文件，请重新选择后再保存。"
            )
            % {"names": names},
        )


@login_required
def edit_filing(request, pk):
    filing = _own_filing(request, pk)
    if not filing.is_editable:
        messages.info(request, _("申请已提交，当前状态不能修改。"))
        return redirect("filings:detail", filing.pk)
    checked = _CheckedUploads(valid=[], refused={})
    if request.method == "POST":
        # Every form and every file is checked first; then all are stored in one transaction, or none.
        checked = _check_uploads(request, filing)
        form, sets = application_forms(filing, request.POST)
        valid = form.is_valid() and all(s.is_valid() for s in sets.values())
        stale = False
        if valid and not checked.refused:
            try:
                with stored_files() as files:
                    transitions.check_version(filing, request.POST.get("version"))
                    form.save()  # bumps the version under optimistic locking
                    for formset in sets.values():
                        formset.save()
                    _store_uploads(files, request, filing, checked)
                    audit.record("filing_saved", filing, request.user)
            except (errors.Stale, ConcurrentTransition):
                # Someone else saved first: show what this user typed (nothing lost), ask to reload.
                stale, valid = True, False
                messages.error(request, str(filing.stale_message))
        if checked.refused:
            _refused_upload_messages(request, filing, checked)
        if valid and not checked.refused:
            if request.POST.get("action") == "submit":
                try:
                    workflow.submit(filing, request.user)
                except workflow.Incomplete as incomplete:
                    for text in incomplete.missing:
                        messages.error(request, text)
                    return redirect("filings:edit", filing.pk)
                except workflow.WorkflowError as error:
                    messages.error(request, str(error))
                    return redirect("filings:edit", filing.pk)
                messages.success(request, _("申请已提交，鉴定中心将在规定期限内完成初审。"))
                return redirect("filings:detail", filing.pk)
            messages.success(request, _("草稿已保存。"))
            return redirect("filings:edit", filing.pk)
        if not stale:
            messages.error(request, _("保存失败：请按下方红色提示修改后再保存（已填写的内容均已保留）。"))
            sections = _invalid_sections(form, sets)
            if checked.refused:
                sections.append(str(_("五、申报材料")))
            if sections:
                messages.error(request, _("需要修改的部分：%(s)s") % {"s": "、".join(sections)})
    else:
        form, sets = application_forms(filing)
    return render(
        request,
        "filings/edit.html",
        {
            "filing": filing,
            "form": form,
            "sets": sets,
            "school": workflow.is_school_package(filing),
            "people_sets": [
                (str(label), sets[f"people_{role}"]) for role, label in constants.PersonRole.choices
            ],
            "checklist": _checklist_rows(filing, checked),
            "conditions": workflow.institution_conditions(filing),
            "missing": workflow.missing_sections(filing),
            "recommended": workflow.recommended_sections(filing),
            "breadcrumbs": [(_("我的备案申请"), reverse("filings:mine")), (_("填写申请"), None)],
        },
    )


def _invalid_sections(form, sets) -> list[str]:
    names = {
        "occupations": _("二、申报职业"),
        "sites": _("三、考试场地"),
        "equipment": _("三、设施设备"),
        "work_plan": _("工作方案（附件2）"),
        **{f"people_{r}": str(label) for r, label in constants.PersonRole.choices},
    }
    out = [str(_("一、基本信息"))] if not form.is_valid() else []
    out += [str(names[key]) for key, formset in sets.items() if not formset.is_valid()]
    return out


def _checklist_rows(filing, checked: _CheckedUploads | None = None):
    """One row per checklist item; after a refused POST, the row's error and the file to select again."""
    files = {}
    for attachment in filing.attachments.all():
        files.setdefault(attachment.item, []).append(attachment)
    refused = checked.refused if checked else {}
    reselect = {item: upload.name for item, upload, _kind in checked.valid} if checked and refused else {}
    return [
        {
            "code": code,
            "label": label,
            "required": required,
            "single": code in constants.SINGLE_FILE_ITEMS,
            "files": files.get(code, []),
            "error": refused.get(code, ""),
            "reselect": reselect.get(code, ""),
        }
        for code, label, required in constants.checklist(filing.route, filing.kind, filing.group_branch)
    ]


def _attachment_page(request, pk, attachment_pk):
    filing = _own_filing(request, pk)
    get_object_or_404(Attachment, pk=attachment_pk, filing=filing)
    return reverse("filings:edit", args=[filing.pk])


@login_required
@post_only(_attachment_page)
def delete_attachment(request, pk, attachment_pk):
    filing = _own_filing(request, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, filing=filing)
    if not filing.is_editable:
        messages.error(request, _("申请已提交，不能删除材料。"))
    else:
        attachment.file.delete(save=False)
        attachment.delete()
        messages.success(request, _("已删除材料。"))
    return redirect("filings:edit", filing.pk)


@login_required
def download_attachment(request, pk, attachment_pk):
    filing = _get_visible(request, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, filing=filing)
    content_type = mimetypes.types_map.get(
        {"jpeg": ".jpg"}.get(attachment.content_kind, "." + attachment.content_kind)
    )
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def application_pdf(request, pk):
    filing = _get_visible(request, pk)
    pdf, _html = documents.application_pdf(filing)
    return _pdf_response(pdf, f"application-{filing.pk}.pdf")


@login_required
def work_plan_pdf(request, pk):
    """A 技工院校's 工作方案 (辽人社〔2020〕32号 附件2) as typed in its application, for whoever may see the filing."""
    filing = _get_visible(request, pk)
    plan = SchoolWorkPlan.objects.filter(filing=filing).first()
    if plan is None:
        raise Http404
    pdf, _html = documents.work_plan_pdf(filing, plan)
    return _pdf_response(pdf, f"work-plan-{filing.pk}.pdf")


@login_required
def school_record_table(request):
    """辽人社〔2020〕32号 四(二), 附件3: the centre (and the bureau) pick the technical schools past 核验 and export
    the 申请备案表 for the province as XLSX or PDF (?format=xlsx|pdf, ?id= for each school picked; none
    picked: all of them)."""
    if not roles.is_staff_reviewer(request.user):
        raise Http404
    ids = [int(v) for v in request.GET.getlist("id") if v.isdigit()]
    schools = school_record.schools(ids or None)
    today = workdays.today()
    export = request.GET.get("format")
    if export in ("xlsx", "pdf"):
        contact = (request.user.display_name, getattr(request.user, "phone", "") or "")
        audit.record("school_record_table_exported", None, request.user, comment=f"{export}: {len(schools)}")
        if export == "xlsx":
            response = HttpResponse(
                school_record.xlsx(schools, today, *contact),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            response["Content-Disposition"] = (
                f'attachment; filename="school-record-table-{today:%Y%m%d}.xlsx"'
            )
            return response
        return _pdf_response(
            school_record.pdf(schools, today, *contact), f"school-record-table-{today:%Y%m%d}.pdf"
        )
    return render(
        request,
        "filings/school_record_table.html",
        {
            "schools": school_record.schools(),
            "picked": set(ids),
            "breadcrumbs": [(_("技工院校申请备案表"), None)],
        },
    )


@login_required
def notice_pdf(request, pk):
    filing = _get_visible(request, pk)
    if not filing.filing_number:
        raise Http404
    pdf, _html = documents.notice_pdf(filing)
    return _pdf_response(pdf, f"filing-notice-{filing.pk}.pdf")


def _pdf_response(pdf: bytes, name: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


# -- the filing page (everyone who may see it) --------------------------------------------------------


def timeline(filing, *, include_internal):
    """The audit trail with readable labels; internal notes only for staff."""
    rows = list(audit.trail(filing, include_internal=include_internal))
    labels = dict(State.choices)
    for row in rows:
        row.label = audit.label(row.event)
        row.from_label = labels.get(row.from_state, "—")
        row.to_label = labels.get(row.to_state, "")
    return rows


@login_required
def filing_detail(request, pk):
    filing = _get_visible(request, pk)
    user = request.user
    is_staff = roles.is_staff_reviewer(user)
    occupations = filing.occupations.select_related("occupation")
    reviews = list(filing.expert_reviews.select_related("expert")) if is_staff else []
    context = {
        "filing": filing,
        "occupations": occupations,
        "people": sorted(
            filing.people.all(), key=lambda p: (constants.PersonRole.values.index(p.role), p.pk)
        ),
        "sites": filing.sites.all(),
        "equipment": filing.equipment.all(),
        "checklist": _checklist_rows(filing),
        "conditions": workflow.institution_conditions(filing),
        "trail": timeline(filing, include_internal=is_staff),
        "is_staff": is_staff,
        "is_owner": user.institution_id == filing.institution_id,
        "reviews": reviews,
        "panel_average": workflow.panel_average(filing) if is_staff else None,
        "draw": filing.draws.first() if is_staff else None,
        "objections": filing.objections.all() if is_staff else [],
        "actions": _actions_for(filing, user),
        "comment_form": CommentForm(),
        "assign_form": AssignForm(initial={"assignee": filing.assignee_id}),
        "record_form": RecordForm(
            initial={"institution_type": constants.default_institution_type(filing.kind)}
        ),
        "review_deadline": workflow.review_deadline(filing) if filing.submitted_at else None,
        # A step the notices set no limit on shows the working days it has taken (issue 29 item 9).
        "step_began": workflow.step_began(filing) if filing.state in UNLIMITED_STEPS else None,
        "breadcrumbs": [_filing_crumb(filing, user, is_staff), (filing.name, None)],
    }
    return render(request, "filings/detail.html", context)


def _filing_crumb(filing, user, is_staff) -> tuple:
    """Where the filing page's breadcrumb leads back to: the queue for staff, the applicant's own list,
    the expert's landing page (issue 29 item 11e: /filings/ is the applicants' list, a 404 for them)."""
    if is_staff:
        state = filing.state if filing.state in constants.QUEUE_STATES else State.SUBMITTED
        return (_("审核队列"), reverse("filings:queue", args=[state]))
    if user.institution_id == filing.institution_id and roles.has_role(user, roles.APPLICANT):
        return (_("我的备案申请"), reverse("filings:mine"))
    return (_("专家评估"), reverse("filings:expert_home"))


# Staff actions on the filing page: name -> the button and the service step it runs.
@dataclass(frozen=True)
class PageAction:
    """A button of the staff page: which transition of the machine it fires, its words, whether it
    needs a comment, and the service step it runs (``run(filing, request, comment, version)``). Who may
    press it and from which states is the machine's (portal.transitions.available: the transition's
    sources and permission); ``only_in`` only picks the wording where one transition has two buttons
    (the centre's 不予受理 and 评估不通过, the bureau's 审核不通过)."""

    transition: str
    label: str
    needs_comment: bool = False
    only_in: tuple = ()
    run: Callable | None = None


def _assign(filing, request, comment, version):
    form = AssignForm(request.POST)
    if not form.is_valid():
        raise workflow.WorkflowError(_("请选择有效的经办人。"))
    workflow.assign(filing, request.user, form.cleaned_data["assignee"], expected_version=version)


def _draw(filing, request, comment, version):
    draw = workflow.draw_experts(filing, request.user)
    messages.info(request, _("已抽取专家，随机种子 %(seed)s。") % {"seed": draw.seed})


def _conclude(recommend):
    def run(filing, request, comment, version):
        workflow.conclude(
            filing, request.user, recommend=recommend, comment=comment, expected_version=version
        )

    return run


def _with_comment(step):
    """A service step taking the comment and the version the page showed."""

    def run(filing, request, comment, version):
        step(filing, request.user, comment, expected_version=version)

    return run


def _publicity(step):
    """A publicity step, which takes no version: the page's version is checked here."""

    def run(filing, request, comment, version):
        transitions.check_version(filing, version)
        step(filing, request.user)

    return run


def _publish(filing, request, comment, version):
    form = PublicationForm(request.POST)
    if not form.is_valid():
        raise workflow.WorkflowError(" ".join(e for errs in form.errors.values() for e in errs))
    workflow.record_publication(filing, request.user, expected_version=version, **form.cleaned_data)


def _record(filing, request, comment, version):
    form = RecordForm(request.POST)
    if not form.is_valid():
        raise workflow.WorkflowError(" ".join(e for errs in form.errors.values() for e in errs))
    # The form's fields are the step's: city and institution type codes, route code, ministry report.
    workflow.record_filing(filing, request.user, expected_version=version, **form.cleaned_data)


ACTIONS = {
    "pass": PageAction(
        "start_evaluation", _("初审通过，进入专家评估"), run=_with_comment(workflow.start_evaluation)
    ),
    "return": PageAction(
        "return_for_correction", _("退回补正"), True, run=_with_comment(workflow.return_for_correction)
    ),
    "reject": PageAction(
        "reject",
        _("不予受理"),
        True,
        (State.SUBMITTED, State.UNDER_EVALUATION),
        _with_comment(workflow.reject),
    ),
    # Drawing the experts changes no state: it belongs to the evaluation the centre concludes.
    "draw": PageAction("conclude_evaluation", _("随机抽取专家"), run=_draw),
    "recommend": PageAction("conclude_evaluation", _("评估通过，报市人社局审核"), True, run=_conclude(True)),
    "not_recommend": PageAction("reject", _("评估不通过"), True, (State.UNDER_EVALUATION,), _conclude(False)),
    "approve": PageAction("approve", _("审核通过"), run=_with_comment(workflow.approve)),
    "bureau_reject": PageAction(
        "reject", _("审核不通过"), True, (State.EVALUATED,), _with_comment(workflow.reject)
    ),
    "open_publicity": PageAction("start_publicity", _("开始公示"), run=_publicity(workflow.open_publicity)),
    "close_publicity": PageAction(
        "close_publicity", _("公示期满，转入备案"), run=_publicity(workflow.close_publicity)
    ),
    # seed 001 第十条(五): the ministry's publication recorded, then the notice issued
    "publish": PageAction("publish", _("记录部系统公布情况"), run=_publish),
    "record": PageAction("record", _("发给准予备案通知并赋码"), run=_record),
}
# Assigning the case officer is no transition: no button of the list, the page's own form.
ASSIGN = PageAction("", gettext_lazy("分配经办人"), run=_assign)


def _offered(filing, action: PageAction, available) -> bool:
    return action.transition in available and (not action.only_in or filing.state in action.only_in)


def _actions_for(filing, user):
    available = set(transitions.available(filing, user))
    actions = [
        {"name": name, "label": action.label, "needs_comment": action.needs_comment}
        for name, action in ACTIONS.items()
        if _offered(filing, action, available)
    ]
    if filing.state == State.IN_PUBLICITY and (
        not workflow.publicity_ended(filing) or workflow.has_open_objection(filing)
    ):
        # Not offered while the period runs or an objection holds it (the daily task closes it).
        actions = [a for a in actions if a["name"] != "close_publicity"]
    return actions


def _page_action(request, action) -> PageAction:
    """The staff's action named in the address; anything else (and anybody else) gets a 404."""
    if action not in ACTIONS and action != "assign":
        raise Http404
    if not roles.is_staff_reviewer(request.user):
        raise Http404
    return ACTIONS.get(action, ASSIGN)


def _act_page(request, pk, action):
    _page_action(request, action)
    return reverse("filings:detail", args=[get_object_or_404(Filing, pk=pk).pk])


@login_required
@post_only(_act_page)
def act(request, pk, action):
    step = _page_action(request, action)
    filing = get_object_or_404(Filing, pk=pk)
    version = request.POST.get("version")
    user = request.user

    def call():
        if version and action != "draw":
            transitions.check_version(filing, version)  # the page was out of date: say so first
        if step.transition and not _offered(filing, step, transitions.available(filing, user)):
            # The machine refuses it: say why (the state, else the role) before any service runs.
            transitions.refuse_unless_allowed(filing, step.transition, user)
            raise workflow.NotPermitted(str(filing.state_refusal) % {"state": filing.get_state_display()})
        step.run(filing, request, request.POST.get("comment", ""), version)

    done = None if action == "draw" else _("操作成功：%(label)s。") % {"label": step.label}
    return steps.run(request, call, done, "filings:detail", filing.pk)


def _objection_page(request, pk):
    steps.only(request, roles.CENTRE)
    return reverse("filings:detail", args=[get_object_or_404(Objection, pk=pk).filing_id])


@login_required
@post_only(_objection_page)
def resolve_objection(request, pk):
    steps.only(request, roles.CENTRE)
    objection = get_object_or_404(Objection, pk=pk)
    return steps.run(
        request,
        lambda: workflow.resolve_objection(
            objection,
            request.user,
            upheld=request.POST.get("decision") == "upheld",
            resolution=request.POST.get("resolution", ""),
        ),
        _("异议已处理。"),
        "filings:detail",
        objection.filing_id,
    )


@login_required
def objection_attachment(request, pk):
    if not roles.is_staff_reviewer(request.user):
        raise Http404
    objection = get_object_or_404(Objection, pk=pk)
    if not objection.attachment:
        raise Http404
    return FileResponse(objection.attachment.open("rb"), as_attachment=True)


# -- staff queues ------------------------------------------------------------------------------------

QUEUE_PAGE_SIZE = 25
# Done or waiting on nobody: no due date and no working days counted (issue 29 item 9).
UNTIMED_QUEUE_STATES = (State.FILED, State.REJECTED)
# Staff steps without a limit in the notices: expert evaluation and the bureau's approval.
UNLIMITED_STEPS = (State.UNDER_EVALUATION, State.EVALUATED, State.AWAITING_RECORD, State.PUBLISHED)
QUEUE_ROW_FIELDS = (
    "pk", "state", "version", "created_at", "name", "credit_code", "route", "kind", "submitted_at", "due_on",
    "due_provisional", "assignee",
)  # fmt: skip


@login_required
def queue(request, state=None):
    if not roles.is_staff_reviewer(request.user):
        raise Http404
    if state is None:  # each role starts where its work is
        state = State.SUBMITTED if roles.has_role(request.user, roles.CENTRE) else State.EVALUATED
    if state not in constants.QUEUE_STATES:
        raise Http404
    today = workdays.today()
    soon = workdays.deadline_after(today, constants.DUE_SOON_WORKING_DAYS).date
    # The content is cached per reviewer until a filing, a scope, an occupation or a user changes
    # (filings.page_cache); the context of a fresh render (page, tabs) is for the tests.
    key, content = page_cache.get(
        page_cache.QUEUE, request.user.pk, get_language(), today, soon, state, request.GET.urlencode()
    )
    # The centre handles several rows at once (queue_bulk): a tick box per row, the form outside the cache.
    bulk = roles.has_role(request.user, roles.CENTRE)
    context = {"state": state, "bulk": bulk, "breadcrumbs": [(_("审核队列"), None)]}
    if content is None:
        context.update(_queue_context(request, state, today, soon))
        content = render_to_string("filings/_queue_content.html", {**context, "request": request})
        page_cache.put(page_cache.QUEUE, key, content)
    extra = {"bulk_form": BulkForm(state=state)} if bulk else {}
    # Our own template's output, escaped when it was rendered.
    return render(request, "filings/queue.html", {**context, **extra, "content": mark_safe(content)})


def _queue_of(request, *args, **kwargs):
    state = request.POST.get("state") or request.GET.get("state")
    return (
        reverse("filings:queue", args=[state])
        if state in constants.QUEUE_STATES
        else reverse("filings:queue_home")
    )


@steps.for_role(roles.CENTRE)
@post_only(_queue_of)
def queue_bulk(request):
    """Several filings of the queue at once (issue 39 item 4): assign a handler, pass the preliminary review
    or return for correction, each filing through its own step and audit event (portal.bulk); the page then
    says how many were done and which were refused, and why."""
    form = BulkForm(request.POST, state=request.POST.get("state"))
    back = _queue_of(request)
    if not form.is_valid():
        for errors_of_field in form.errors.values():
            for text in errors_of_field:
                messages.error(request, text)
        return redirect(back)
    data = form.cleaned_data
    filings = list(Filing.objects.filter(pk__in=data["ids"]).order_by("submitted_at", "pk"))
    calls = {
        "assign": lambda f: workflow.assign(f, request.user, data["assignee"]),
        "start_evaluation": lambda f: workflow.start_evaluation(f, request.user, data["comment"]),
        "return_for_correction": lambda f: workflow.return_for_correction(f, request.user, data["comment"]),
    }
    outcome = bulk.apply(filings, calls[data["action"]])
    if outcome.done:
        messages.success(
            request,
            _("%(action)s：已处理 %(n)s 件。") % {"action": form.action_label(), "n": len(outcome.done)},
        )
    for filing, reason in outcome.refused:
        messages.error(
            request,
            _("%(name)s（%(ref)s）未处理：%(reason)s")
            % {"name": filing.name, "ref": filing.reference, "reason": reason},
        )
    return redirect(back)


def _queue_context(request, state, today, soon) -> dict:
    counts = dict(
        Filing.objects.filter(state__in=constants.QUEUE_STATES)
        .values_list("state")
        .annotate(n=Count("*"))  # COUNT(*): an index-only scan of the state index
        .order_by()
    )
    tabs = [(value, State(value).label, counts.get(value, 0)) for value in constants.QUEUE_STATES]
    filters = QueueFilterForm(request.GET or None)
    # Only what a row shows (the model has some forty columns); the assignee for its name.
    rows = (
        Filing.objects.filter(state=state)
        .select_related("assignee")
        .only(
            *QUEUE_ROW_FIELDS,
            "assignee__username",
            "assignee__first_name",
            "assignee__last_name",
            "assignee__institution",
        )
    )
    sort = "due"
    if filters.is_valid():
        data = filters.cleaned_data
        if data["q"]:
            q = data["q"].strip()
            rows = rows.filter(Q(name__icontains=q) | Q(credit_code__iexact=q.upper()))
        if data["kind"]:
            rows = rows.filter(kind=data["kind"])
        if data["route"]:
            rows = rows.filter(route=data["route"])
        if data["district"]:
            rows = rows.filter(institution_sequence__startswith=data["district"])
        if data["occupation"]:
            scope = FilingOccupation.objects.filter(directory.scope_matches(data["occupation"]))
            rows = rows.filter(Exists(scope.filter(filing=OuterRef("pk"))))
        if data["overdue"]:
            rows = rows.filter(due_on__lt=today)
        if data["due"] == "today":
            rows = rows.filter(due_on=today)
        elif data["due"] == "soon":
            rows = rows.filter(due_on__gte=today, due_on__lte=dashboards.soon_day(today)[0])
        if data["mine"]:
            rows = rows.filter(assignee=request.user)
        sort = data["sort"] or "due"
    if sort == "due":
        rows = rows.order_by(F("due_on").asc(nulls_last=True), "submitted_at", "pk")
    else:
        rows = rows.order_by(*{"-submitted": ["-submitted_at", "-pk"], "name": ["name", "pk"]}[sort])
    if state not in UNTIMED_QUEUE_STATES:
        rows = rows.annotate(step_began=Coalesce(audit.entered_state(Filing), "submitted_at"))
    page = Paginator(rows, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    kinds = dict(constants.Kind.choices)  # one translation per kind and route, not one per row
    route_labels = dict(constants.Route.choices)
    for filing in page:
        filing.row_class = _deadline_class(filing.due_on, today, soon)
        filing.kind_label = kinds.get(filing.kind, filing.kind)
        filing.route_label = route_labels.get(filing.route, filing.route)
    return {"state_label": State(state).label, "tabs": tabs, "filters": filters, "page": page, "today": today}


# -- experts -----------------------------------------------------------------------------------------


def score_sheet(request, review, score, back, template, context):
    """An expert's score sheet (of a filing or of a change): ``review``'s form; a valid POST runs
    ``score(**scores)`` and goes ``back`` (a URL name), else the sheet is shown with ``context()``."""
    form = ScoreForm.for_review(review, request.POST or None)
    if request.method == "POST" and form.is_valid():
        if steps.attempt(request, lambda: score(**form.scores()), _("评估意见已提交。")):
            return redirect(back)
    return render(request, template, {"review": review, "form": form, **context()})


@steps.for_role(roles.EXPERT)
def expert_home(request):
    reviews = (
        ExpertReview.objects.filter(expert=request.user)
        .select_related("filing", "draw")
        .order_by("submitted_at", "-filing__submitted_at")
    )
    # The expert's dashboard links here (issue 37): to score or done, and the filing's clock.
    status, due = request.GET.get("status"), request.GET.get("due")
    if status in ("pending", "done"):
        reviews = reviews.filter(submitted_at__isnull=status == "pending")
    today = workdays.today()
    if due == "overdue":
        reviews = reviews.filter(filing__due_on__lt=today)
    elif due == "today":
        reviews = reviews.filter(filing__due_on=today)
    elif due == "soon":
        soon = workdays.deadline_after(today, dashboards.SOON_WORKING_DAYS).date
        reviews = reviews.filter(filing__due_on__gte=today, filing__due_on__lte=soon)
    return render(
        request, "filings/expert_home.html", {"reviews": reviews, "breadcrumbs": [(_("专家评估"), None)]}
    )


@steps.for_role(roles.EXPERT)
def expert_review(request, pk):
    review = get_object_or_404(
        ExpertReview.objects.select_related("filing"), filing_id=pk, expert=request.user
    )
    filing = review.filing
    return score_sheet(
        request,
        review,
        lambda **scores: workflow.score(filing, request.user, **scores),
        "filings:expert_home",
        "filings/expert_review.html",
        lambda: {
            "filing": filing,
            "occupations": filing.occupations.select_related("occupation"),
            "checklist": _checklist_rows(filing),
            "conditions": workflow.institution_conditions(filing),
            "breadcrumbs": [(_("专家评估"), reverse("filings:expert_home")), (filing.name, None)],
        },
    )


# -- social organisations: batch selection and ranking ----------------------------------------------


@login_required
def batches(request):
    if not roles.is_staff_reviewer(request.user):
        raise Http404
    if request.method == "POST":
        steps.only(request, roles.CENTRE)
        try:
            batch, n = workflow.create_batch(request.POST.get("name", ""), request.user)
        except workflow.WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("已创建批次，纳入 %(n)s 个社会培训评价组织。") % {"n": n})
            return redirect("filings:batch", batch.pk)
    rows = EvaluationBatch.objects.annotate(n=Count("filings")).order_by("-created_at")
    waiting = workflow.waiting_for_batch().count()
    return render(
        request,
        "filings/batches.html",
        {"rows": rows, "waiting": waiting, "breadcrumbs": [(_("遴选批次"), None)]},
    )


@login_required
def batch_detail(request, pk):
    if not roles.is_staff_reviewer(request.user):
        raise Http404
    batch = get_object_or_404(EvaluationBatch, pk=pk)
    filings = workflow.ranked(batch)
    return render(
        request,
        "filings/batch_detail.html",
        {
            "batch": batch,
            "filings": filings,
            "breadcrumbs": [(_("遴选批次"), reverse("filings:batches")), (batch.name, None)],
        },
    )


# -- public: publicity and objections ----------------------------------------------------------------


def publicity(request):
    rows = (
        Filing.objects.filter(state=State.IN_PUBLICITY)
        .prefetch_related("occupations__occupation")
        .order_by("publicity_end", "name")
    )
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    return render(request, "filings/publicity.html", {"page": page, "breadcrumbs": [(_("备案公示"), None)]})


@ratelimit("filings-objection", "FILING_OBJECTION_RATE", "5/h", methods=("POST",))
def objection(request, pk):
    filing = get_object_or_404(Filing, pk=pk, state=State.IN_PUBLICITY)
    form = ObjectionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with stored_files() as files:  # the file goes again if the objection is not recorded
                stored = ""
                if data.get("attachment"):
                    stored = files.save(
                        random_name("objections", form.attachment_kind),
                        ContentFile(data["attachment"].read()),
                    )
                workflow.raise_objection(
                    filing,
                    name=data["name"],
                    contact=data["contact"],
                    text=data["text"],
                    attachment_name=stored,
                    ip_hash=hashed_ip(request),
                )
        except workflow.WorkflowError as error:
            messages.error(request, str(error))
            return redirect("filings:publicity")
        messages.success(request, _("异议已提交，鉴定中心将进行核查。"))
        return redirect("filings:publicity")
    return render(
        request,
        "filings/objection.html",
        {
            "filing": filing,
            "form": form,
            "breadcrumbs": [(_("备案公示"), reverse("filings:publicity")), (_("提出异议"), None)],
        },
    )
