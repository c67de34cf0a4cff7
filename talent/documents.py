"""The 高技能人才参评专业技术职称申请表 (seed 002 附件2 四(一)) as a PDF, through the portal's one PDF helper."""

from portal.pdf import render_pdf


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
