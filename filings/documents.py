"""The two PDFs of a filing, through the portal's one PDF helper: the completed application in the
layout of the official table (for signature and seal) and the filing notice (准予备案通知)."""

from django.conf import settings

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
        "equipment": filing.equipment.all(),
        "checklist": [
            (label, filing.attachments.filter(item=code).exists())
            for code, label, _r in constants.checklist(filing.route, filing.kind, filing.group_branch)
        ],
        "province_code": settings.PROVINCE_CODE,
    }


def application_pdf(filing):
    """(pdf bytes, html) of the application table: seed 000 附件2 (S) or 附件3 (Y) layout."""
    return render_pdf("filings/pdf/application.html", _context(filing))


def notice_pdf(filing):
    """(pdf bytes, html) of the filing notice with the filing number, code and validity."""
    return render_pdf("filings/pdf/notice.html", _context(filing))
