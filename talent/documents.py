"""The forms of seed 002 附件2 四 as PDFs, through the portal's one PDF helper: the 高技能人才参评专业技术职称申请表
(seed 002 附件2 四(一)), and for a professional's skill application the 专业技术人才参加职业技能评价申请表
(seed 002 附件2 四(二)1) and the 技师（高级技师）资格评审表 (seed 002 附件2 四(二)2, only for an application for
技师 or 高级技师)."""

from portal.pdf import render_pdf

from .constants import SkillLevel


def _context(app) -> dict:
    return {
        "app": app,
        "appraisals": app.appraisals.all(),
        "awards": app.awards.all(),
        "competitions": app.competitions.all(),
        "achievements": app.achievements.all(),
    }


def application_pdf(app):
    """(pdf bytes, html) of the 申请表."""
    return render_pdf("talent/pdf/application.html", _context(app))


# 四(二)2: the 资格评审表 is filed by whoever applies for 技师 or 高级技师 (the levels a 评审 decides).
REVIEW_FORM_LEVELS = (SkillLevel.L1, SkillLevel.L2)


def needs_review_form(app) -> bool:
    return app.level in REVIEW_FORM_LEVELS


def _skill_context(app) -> dict:
    waived = next(
        (d for d in app.decision if d.get("target") == app.level and d.get("clause") == app.clause), None
    )
    return {
        "app": app,
        "competitions": app.competitions.all(),
        "reasons": (waived or {}).get("reasons", []),
        "plan": app.candidate.plan if app.candidate_id else None,
    }


def skill_application_pdf(app):
    """(pdf bytes, html) of the 专业技术人才参加职业技能评价申请表 (附件2 四(二)1)."""
    return render_pdf("talent/pdf/skill_application.html", _skill_context(app))


def skill_review_pdf(app):
    """(pdf bytes, html) of the 技师（高级技师）资格评审表 (附件2 四(二)2)."""
    return render_pdf("talent/pdf/skill_review.html", _skill_context(app))
