"""A large roster or photo archive imported by the worker (issue 39 item 4): the same import as the plan
page's (certification.imports, certification.photo_zip), with its progress shown on the job's page
(portal.jobs), which the institution may leave and come back to. The job's result file is the answer the
page would have shown: the row errors of a refused roster, or one line per photo file."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import gettext as _

from eligibility import constants as eligibility_constants
from eligibility import roster as eligibility_roster
from portal import errors, jobs, sheets

from . import imports, photo_zip
from .constants import MAX_ROSTER_ROWS, PHOTO_ZIP_BACKGROUND_FILES
from .models import AssessmentPlan

ROSTER = "certification.roster"
PHOTOS = "certification.photos"


def large_roster(upload) -> tuple[bytes, str] | None:
    """The bytes and kind of an uploaded roster the worker should import, or None: the page imports it
    (a small file, or one that the page refuses and says why)."""
    from django.core.exceptions import ValidationError

    from portal import uploads

    try:
        kind = uploads.validate_upload(upload, allowed=("xlsx", "csv"))
    except ValidationError:
        return None
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return (data, kind) if roster_is_large(data, kind) else None


def roster_is_large(data: bytes, kind: str) -> bool:
    """More rows than the page imports while the user waits (the eligibility check's threshold,
    ROSTER_BACKGROUND_ROWS), and not more than a plan's roster may have (MAX_ROSTER_ROWS: such a file is
    refused on the page, naming the limit, with no job). A file that cannot be counted is the page's to
    refuse, naming what is wrong."""
    try:
        rows = eligibility_roster.row_count(data, kind, stop=MAX_ROSTER_ROWS + 2) - 1  # the header
    except eligibility_roster.RosterError:
        return False
    return eligibility_constants.ROSTER_BACKGROUND_ROWS < rows <= MAX_ROSTER_ROWS


def photos_are_many(upload) -> bool:
    return photo_zip.file_count(upload) > PHOTO_ZIP_BACKGROUND_FILES


def plan_url(plan, anchor: str = "") -> str:
    return reverse("certification:plan", args=[plan.pk]) + anchor


def start_roster(plan, actor, data: bytes, name: str, kind: str):
    return jobs.start(
        ROSTER,
        actor,
        _("导入考生名册：%(plan)s") % {"plan": plan},
        data,
        name,
        back_url=plan_url(plan, "#roster"),
        plan=plan.pk,
        file_name=name,
        roster_kind=kind,
    )


def start_photos(plan, actor, upload):
    upload.seek(0)
    return jobs.start(
        PHOTOS,
        actor,
        _("导入考生照片：%(plan)s") % {"plan": plan},
        upload.read(),
        upload.name,
        back_url=plan_url(plan, "#photos"),
        plan=plan.pk,
        file_name=upload.name,
    )


def _source(job) -> SimpleUploadedFile:
    with job.source.open("rb") as stored:
        return SimpleUploadedFile(job.options.get("file_name") or "upload", stored.read())


def _plan(job):
    plan = AssessmentPlan.objects.filter(pk=job.options.get("plan")).first()
    if plan is None:
        raise errors.PortalError(_("该方案已不存在。"))
    return plan


def run_roster(job, progress):
    plan = _plan(job)
    upload = _source(job)
    data = upload.read()
    upload.seek(0)
    progress(0, max(0, eligibility_roster.row_count(data, job.options.get("roster_kind", "xlsx")) - 1))
    result = imports.import_roster(plan, upload, job.owner, progress=progress)  # PortalError: the job fails
    if not result.ok:
        return jobs.Outcome(
            sheets.write_table(_("名册错误"), [_("行号"), _("错误")], result.errors, widths=(8, 90)),
            _("考生名册错误清单.xlsx"),
            _("考生名册有 %(n)s 处错误，未作任何修改，请下载错误清单，修改后重新上传。")
            % {"n": len(result.errors)},
            ok=False,
        )
    lines = [(_("已导入考生"), result.count)]
    lines += [(_("保留的职称贯通考生"), name) for name in result.kept]
    lines += [(_("未重复导入（第 %(line)s 行）") % {"line": line}, name) for line, name in result.duplicates]
    return jobs.Outcome(
        sheets.write_table(_("导入结果"), [_("项目"), _("内容")], lines, widths=(30, 40)),
        _("考生名册导入结果.xlsx"),
        _("已导入 %(n)s 名考生。") % {"n": result.count},
    )


def run_photos(job, progress):
    plan = _plan(job)
    try:
        results = photo_zip.import_photos(plan, _source(job), job.owner, progress=progress)
    except photo_zip.PhotoZipRefused as error:
        raise errors.PortalError(str(error)) from None
    saved = sum(1 for r in results if r.saved)
    rows = [(r.name, r.candidate, _("已保存") if r.saved else _("未保存"), str(r.message)) for r in results]
    return jobs.Outcome(
        sheets.write_table(
            _("照片导入结果"), [_("文件"), _("考生"), _("结果"), _("说明")], rows, widths=(34, 12, 8, 60)
        ),
        _("考生照片导入结果.xlsx"),
        _("照片压缩包共 %(n)s 个文件：已保存 %(saved)s 个，未保存 %(bad)s 个。")
        % {"n": len(results), "saved": saved, "bad": len(results) - saved},
    )


def register() -> None:
    jobs.register_runner(ROSTER, run_roster)
    jobs.register_runner(PHOTOS, run_photos)
