"""A large roster checked by the worker (issue 39 item 4): the same check as the page's, with its progress
reported to the job (portal.jobs), the result XLSX kept with the job for the user to download."""

from __future__ import annotations

from django.utils.translation import gettext

from portal import errors, jobs
from portal.models import Occupation

from . import constants as C
from .roster import RosterError, max_rows, read_roster, row_count, write_result_xlsx

KIND = "eligibility.roster"


def is_large(data: bytes, kind: str) -> bool:
    """More rows than the page answers at once, and not more than a roster may have (such a file is refused
    on the page, naming the limit, without a job)."""
    try:
        rows = row_count(data, kind, stop=max_rows() + 2) - 1  # the header
    except RosterError:  # an unreadable file: the page's own check says what is wrong with it
        return False
    return C.ROSTER_BACKGROUND_ROWS < rows <= max_rows()


def run(job, progress):
    with job.source.open("rb") as stored:
        data = stored.read()
    kind = job.options.get("roster_kind")
    progress(0, max(0, row_count(data, kind) - 1))
    occupations = dict(Occupation.objects.values_list("code", "name"))
    try:
        result = read_roster(data, occupations, kind=kind, progress=progress)
    except RosterError as error:
        raise errors.PortalError(str(error)) from None
    return write_result_xlsx(result, gettext), gettext("资格审核结果.xlsx")


def register() -> None:
    jobs.register_runner(KIND, run)
