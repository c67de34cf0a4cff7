"""The 职业技能鉴定申请表 and the 职业技能鉴定实施方案 (seed 002 附件1 五(一)(二)) and a 技师/高级技师 candidate's
技师（高级技师）资格评审表 (五(三)) as PDFs, through the portal's one PDF helper."""

from portal.pdf import render_pdf


def _context(appraisal) -> dict:
    return {
        "app": appraisal,
        "levels": appraisal.levels.all(),
        "assessors": appraisal.assessors.all(),
        "candidates": appraisal.candidates.all(),
        "supervisors": appraisal.supervisors.select_related("supervisor"),
    }


def application_pdf(appraisal):
    """(pdf bytes, html) of the 申请表 (五(一))."""
    return render_pdf("appraisals/pdf/application.html", _context(appraisal))


def plan_pdf(appraisal):
    """(pdf bytes, html) of the 实施方案 (五(二))."""
    return render_pdf("appraisals/pdf/plan.html", _context(appraisal))


def review_form_pdf(candidate):
    """(pdf bytes, html) of a 技师/高级技师 candidate's 技师（高级技师）资格评审表 (五(三)), with the scores of
    四(四) and, once held, the 综合评审 of 四(五)."""
    appraisal = candidate.appraisal
    return render_pdf(
        "appraisals/pdf/review_form.html",
        {"app": appraisal, "c": candidate, "review": getattr(candidate, "review", None)},
    )
