"""Thin views over annex1 (the public self-check) and roster (the roster check for staff and applicants).
The self-check stores nothing; a roster result is kept in the cache only so it can be downloaded."""

import secrets

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal import jobs, roles
from portal.downloads import attachment
from portal.errors import PortalError
from portal.models import Occupation
from portal.ratelimit import ratelimit

from . import annex1, constants, roster_job, titles
from .forms import FORMSETS, RosterUploadForm, SelfCheckForm, TitleCheckForm
from .roster import (
    COLUMNS,
    DIPLOMA_NAMES,
    DOCUMENT_COLUMNS,
    RosterError,
    read_roster,
    write_result_xlsx,
    write_template,
)

ROSTER_SHOWN_ROWS = 500  # rows shown on the page; the XLSX has them all


@ratelimit("eligibility_check", "ELIGIBILITY_CHECK_RATE", "60/m", methods=("POST",))
def self_check(request):
    """Public: answers whether a candidate may apply, clause by clause (Annex 1), and the two title
    questions of 附件2 (a second form, ``question=titles``). Nothing is stored."""
    today = annex1.today_in_shanghai()
    posted = request.POST if request.method == "POST" else None
    asks_titles = posted is not None and posted.get("question") == "titles"
    honours = tuple(getattr(settings, "ELIGIBILITY_LEADING_TALENT_HONOURS", ()))
    title_form = TitleCheckForm(posted if asks_titles else None, today=today, honours=honours, prefix="t")
    title_answer = None
    if asks_titles and title_form.is_valid():
        try:
            decisions = titles.assess(title_form.profile(), on=today, extra_honours=honours)
        except PortalError as exc:
            title_form.add_error(None, str(exc))
        else:
            title_answer = {"decisions": [_title_row(d) for d in decisions], "on": today}
    data = None if asks_titles else posted
    form = SelfCheckForm(data, today=today, initial=_initial(request.GET))
    formsets = {
        name: formset_class(data, prefix=prefix, form_kwargs={"today": today})
        for name, formset_class, prefix in FORMSETS
    }
    answer = None
    if data is not None and form.is_valid() and all(fs.is_valid() for fs in formsets.values()):
        answer = _answer(form.cleaned_data, formsets, today)
    return render(
        request,
        "eligibility/check.html",
        {
            "form": form,
            "formsets": formsets,
            "answer": answer,
            "title_form": title_form,
            "title_answer": title_answer,
            "today": today,
            "breadcrumbs": [(_("申报条件自测"), None)],
        },
    )


def _title_row(decision):
    """A title decision as the page shows it: the target's label and the verdict's words."""
    target = decision.target
    label = gettext(annex1.LEVEL_LABEL[target]) if isinstance(target, int) else gettext(target)
    if decision.eligible:
        verdict = gettext("可以（破格）") if decision.exceptional else gettext("可以")
    elif decision.needs_staff_decision:
        verdict = gettext("须审核人员决定（破格）")
    else:
        verdict = gettext("暂不可以")
    return {"decision": decision, "target_label": label, "verdict": verdict, "reasons": decision.reasons}


def _initial(query):
    """Other pages link here with ?occupation=<code>&level=<1-5> to preselect both."""
    initial = {}
    code = query.get("occupation", "")
    if code:
        occupation = Occupation.objects.filter(code=code).only("pk").first()
        if occupation is not None:
            initial["occupation"] = occupation.pk
    if query.get("level", "") in {"1", "2", "3", "4", "5"}:
        initial["level"] = int(query["level"])
    return initial


def _answer(cleaned, formsets, today):
    profile = annex1.Profile(
        birth_date=cleaned.get("birth_date"),
        years_in_occupation=float(cleaned.get("years_in_occupation") or 0),
        intends_to_work=cleaned.get("intends_to_work", False),
        certificates=formsets["certificates"].evidence(),
        titles=formsets["titles"].evidence(),
        diplomas=formsets["diplomas"].evidence(),
    )
    level = cleaned["level"]
    decision = annex1.check(profile, level, on=today)
    bridge = None
    if profile.titles and level in constants.TITLE_BRIDGE_LEVEL.values():
        bridge = annex1.check_title_bridge(profile, level, on=today)
    return {
        "occupation": cleaned["occupation"],
        "level_label": gettext(annex1.LEVEL_LABEL[level]),
        "decision": decision,
        "clauses": [(r.clause, r.met, r.text(gettext)) for r in decision.results],
        "bridge": bridge,
        "bridge_texts": bridge.texts(gettext) if bridge else [],
        "on": today,
    }


def _cache_key(user, token):
    return f"eligibility:roster:{user.pk}:{token}"


@roles.role_required(roles.APPLICANT, roles.CENTRE, roles.BUREAU)
def roster(request):
    """Upload a roster, see a decision per row and download the result as XLSX."""
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    result = download_url = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        upload.seek(0)
        if roster_job.is_large(data, form.kind):  # the worker checks it, with a progress bar
            job = jobs.start(
                roster_job.KIND, request.user, gettext("名单资格核查：%(name)s") % {"name": upload.name}, data, upload.name,
                roster_kind=form.kind,
            )  # fmt: skip
            messages.info(
                request, gettext("名单较大，已转入后台核查；可以离开本页，稍后在“后台任务”中查看结果。")
            )
            return redirect("job_detail", job.pk)
        occupations = dict(Occupation.objects.values_list("code", "name"))
        try:
            result = read_roster(form.cleaned_data["file"], occupations, kind=form.kind)
        except RosterError as exc:
            form.add_error("file", str(exc))
        else:
            token = secrets.token_urlsafe(16)
            cache.set(
                _cache_key(request.user, token),
                write_result_xlsx(result, gettext),
                constants.ROSTER_RESULT_TTL,
            )
            download_url = reverse("eligibility:roster_download", args=[token])
    rows = []
    if result is not None:
        for row in result.rows[:ROSTER_SHOWN_ROWS]:
            texts = row.decision.texts(gettext) if row.decision else []
            bridge = row.bridge.texts(gettext) if row.bridge and row.bridge.eligible else []
            title_rows = [_title_row(d) for d in row.title_decisions or ()]
            rows.append((row, texts, bridge, title_rows))
    return render(
        request,
        "eligibility/roster.html",
        {
            "form": form,
            "result": result,
            "rows": rows,
            "hidden_rows": max(0, len(result.rows) - ROSTER_SHOWN_ROWS) if result else 0,
            "download_url": download_url,
            "ttl_minutes": constants.ROSTER_RESULT_TTL // 60,
            "columns": COLUMNS + DOCUMENT_COLUMNS,
            "diploma_names": "、".join(name for name in DIPLOMA_NAMES if not name.isascii()),
            "breadcrumbs": [(_("名单资格核查"), None)],
        },
    )


@roles.role_required(roles.APPLICANT, roles.CENTRE, roles.BUREAU)
def roster_download(request, token):
    """The XLSX of a roster this user checked in the last ROSTER_RESULT_TTL seconds (another user's: 404)."""
    content = cache.get(_cache_key(request.user, token))
    if content is None:
        raise Http404(_("结果已过期，请重新上传名单。"))
    return attachment(content, "资格审核结果.xlsx")


def roster_template(request):
    """The blank roster template (the same layout as fixtures/roster_template.xlsx)."""
    return attachment(write_template(), "参评人员名单模板.xlsx")
