"""The two PDFs of a filing, through the portal's one PDF helper: the completed application in the
layout of the official table (for signature and seal) and the filing notice (准予备案通知)."""

from django.conf import settings

from eligibility import institution as conditions
from portal.pdf import render_pdf

from . import constants


def _context(filing):
    people = {role: [] for role in constants.PersonRole.values}
    for person in filing.people.all():
        people[person.role].append(person)
    return {
        "filing": filing,
        "occupations": filing.occupations.select_related("occupation"),
        "staff": people["staff"],
        "experts": people["expert"],
        "assessors": people["assessor"],
        "supervisors": people["supervisor"],
        "sites": filing.sites.all(),
        "equipment": filing.equipment.all(),
        "checklist": [
            (label, filing.attachments.filter(item=code).exists())
            for code, label, _r in constants.checklist(filing.route, filing.kind, filing.group_branch)
        ],
        "province_code": settings.PROVINCE_CODE,
    }


def application_pdf(filing):
    """(pdf bytes, html) of the application table: seed 000 附件2 (S) or 附件3 (Y) layout; a 技工院校's in the
    layout of 《技工院校职业技能等级认定申请表》(辽人社〔2020〕32号 附件1)."""
    school = filing.route == constants.Route.SOCIAL and filing.kind in conditions.TECHNICAL_SCHOOL_KINDS
    template = "filings/pdf/school_application.html" if school else "filings/pdf/application.html"
    return render_pdf(template, _context(filing))


def work_plan_pdf(filing, plan):
    """(pdf bytes, html) of a 技工院校's 《技工院校职业技能等级认定工作方案》 (辽人社〔2020〕32号 附件2), its seven parts."""
    return render_pdf("filings/pdf/work_plan.html", {"filing": filing, "parts": plan.parts()})


def notice_pdf(filing):
    """(pdf bytes, html) of the filing notice with the filing number, code and validity, under the
    centre's seal when the admin has put one in (filings.seals.office)."""
    from .models import SealOwner
    from .seals import office

    return render_pdf("filings/pdf/notice.html", {**_context(filing), "seal": office(SealOwner.CENTRE)})
