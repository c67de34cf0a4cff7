"""The rules of the assessment procedure as plain functions: no request, no template, no model.
Views, tasks, admin and the workflow call them; each returns a decision or a refusal in Chinese."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from portal import draws, workdays
from portal.notices import cite

from . import constants as C

# -- scores ----------------------------------------------------------------------------------------


def _dec(value) -> Decimal | None:
    if value is None or value == "":
        return None
    return Decimal(str(value))


def exam_passed(score) -> bool:
    """Theory or practical: pass at 60 (seed 001 第十四条; seed 002 综合评审工作流程 四)."""
    score = _dec(score)
    return score is not None and score >= C.PASS_MARK


def check_score(value) -> str | None:
    """Why ``value`` is not a score 0..C.MAX_SCORE with at most one decimal, or None."""
    try:
        score = _dec(value)
    except Exception:
        return _("成绩应为 0-100 的数字。")
    if score is None:
        return None
    if not score.is_finite() or score < 0 or score > C.MAX_SCORE:
        return _("成绩应为 0-100 的数字。")
    if score != score.quantize(C.SCORE_STEP):
        return _("成绩最多保留一位小数。")
    return None


def thesis_total(thesis, defence) -> Decimal:
    """Senior technician defence total: thesis 40% + defence 60% (seed 002 综合评审工作流程 五(二)),
    to two decimals (59.94 stays below 60)."""
    total = _dec(thesis) * C.THESIS_WEIGHT + _dec(defence) * C.DEFENCE_WEIGHT
    return total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def defence_passed(thesis, defence) -> bool:
    return thesis_total(thesis, defence) >= C.DEFENCE_PASS_MARK


def questions_refusal(count) -> str | None:
    """The panel asks 4 to 6 questions (seed 002 综合评审工作流程 五(二))."""
    if count is None or not C.MIN_QUESTIONS <= int(count) <= C.MAX_QUESTIONS:
        return _("答辩须提 %(min)s 至 %(max)s 个问题（已记录 %(n)s 个）。") % {
            "min": C.MIN_QUESTIONS,
            "max": C.MAX_QUESTIONS,
            "n": count if count is not None else 0,
        }
    return None


def performance_passed(score) -> bool:
    """Performance review: 60 and above passes (seed 002 综合评审工作流程 五(三))."""
    score = _dec(score)
    return score is not None and score >= C.PERFORMANCE_PASS_MARK


def majority_passes(ticks) -> bool:
    """Each expert ticks pass or fail; more passes than half decides (seed 002 综合评审工作流程 五(四))."""
    ticks = [bool(t) for t in ticks]
    return bool(ticks) and sum(ticks) * 2 > len(ticks)


def panel_refusal(size: int, minimum: int | None = None) -> str | None:
    """A panel has at least 3 experts (seed 002 综合评审工作流程 三) and an odd number, so a majority exists."""
    minimum = minimum or C.MIN_PANEL
    if size < minimum:
        return _("评审专家组不少于 %(min)s 人（现 %(n)s 人）。") % {"min": minimum, "n": size}
    if size % 2 == 0:
        return _("评审专家组人数应为奇数（现 %(n)s 人）。") % {"n": size}
    return None


def retry_refusal(previous_failures: list[date], on: date) -> str | None:
    """A failed comprehensive review may be retried once within one year of the first (seed 002
    综合评审工作流程 四); a third attempt, or a retry after the year, is refused. ``previous_failures``
    are the dates of the candidate's earlier failed reviews."""
    if not previous_failures:
        return None
    if len(previous_failures) + 1 > C.MAX_REVIEW_ATTEMPTS:
        return _("综合评审不合格只允许在一年内重新评审一次，不能进行第 %(n)s 次评审。") % {
            "n": len(previous_failures) + 1
        }
    first = min(previous_failures)
    last_day = first + timedelta(days=C.RETRY_WITHIN_DAYS)
    if on > last_day:
        return _("重新评审须在首次评审（%(first)s）后一年内进行（截至 %(last)s）。") % {
            "first": first.isoformat(),
            "last": last_day.isoformat(),
        }
    return None


def pool_refusal(pool_size: int, panel_size: int) -> str | None:
    """The panel is drawn only from experts with the senior assessor qualification who are not from the
    candidate's institution (seed 002 综合评审工作流程 三); too few of them refuses the draw."""
    if pool_size < panel_size:
        return _(
            "评审专家库中具备高级考评员资格且不属于考生所在机构的专家只有 %(n)s 人，"
            "评审专家组需要 %(size)s 人（%(ref)s），不能抽取。"
        ) % {"n": pool_size, "size": panel_size, "ref": cite("seed 002 综合评审工作流程 三")}
    return None


def draw_panel(pool_ids: list[int], size: int, seed: int) -> list[int]:
    """A reproducible random draw: the same pool and seed always give the same panel."""
    pool = sorted(set(pool_ids))
    if len(pool) < size:
        raise ValueError(
            _("专家库中可抽取的专家不足 %(size)s 人（现 %(n)s 人）。") % {"size": size, "n": len(pool)}
        )
    return sorted(draws.draw(pool, size, seed))


# -- staffing --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ratios:
    """Staffing ratios of one occupation's national standard (defaults: constants)."""

    candidates_per_invigilator: int = C.CANDIDATES_PER_INVIGILATOR
    min_invigilators_per_room: int = C.MIN_INVIGILATORS_PER_ROOM
    candidates_per_assessor: int = C.CANDIDATES_PER_ASSESSOR
    min_assessors: int = C.MIN_ASSESSORS
    min_panel: int = C.MIN_PANEL


@dataclass(frozen=True)
class StaffingNeed:
    invigilators: int
    assessors: int


def staffing_need(
    candidates: int, rooms: int, ratios: Ratios, *, theory: bool, practical: bool
) -> StaffingNeed:
    """How many invigilators (theory) and assessors (practical) a plan needs."""
    invigilators = 0
    if theory and candidates:
        invigilators = max(
            math.ceil(candidates / ratios.candidates_per_invigilator),
            ratios.min_invigilators_per_room * max(rooms, 1),
        )
    assessors = 0
    if practical and candidates:
        assessors = max(math.ceil(candidates / ratios.candidates_per_assessor), ratios.min_assessors)
        if assessors % 2 == 0:
            assessors += 1
    return StaffingNeed(invigilators, assessors)


def staffing_refusals(
    candidates: int,
    rooms: int,
    invigilators: int,
    assessors: int,
    supervisors: int,
    ratios: Ratios,
    *,
    theory: bool,
    practical: bool,
) -> list[str]:
    """Every shortfall, each with the numbers needed."""
    need = staffing_need(candidates, rooms, ratios, theory=theory, practical=practical)
    problems = []
    if invigilators < need.invigilators:
        problems.append(
            _(
                "理论考试 %(candidates)s 人、%(rooms)s 个考场，需监考人员至少 %(need)s 人"
                "（每 %(per)s 名考生不少于 1 人且每考场不少于 %(room)s 人），现 %(have)s 人。"
            )
            % {
                "candidates": candidates,
                "rooms": rooms,
                "need": need.invigilators,
                "per": ratios.candidates_per_invigilator,
                "room": ratios.min_invigilators_per_room,
                "have": invigilators,
            }
        )
    if practical and candidates and (assessors < need.assessors or assessors % 2 == 0):
        problems.append(
            _(
                "技能操作考核 %(candidates)s 人，需考评员至少 %(need)s 人且为奇数"
                "（每 %(per)s 名考生不少于 1 人，不少于 %(min)s 人），现 %(have)s 人。"
            )
            % {
                "candidates": candidates,
                "need": need.assessors,
                "per": ratios.candidates_per_assessor,
                "min": ratios.min_assessors,
                "have": assessors,
            }
        )
    if supervisors < C.MIN_SUPERVISORS:
        problems.append(
            _("按照“逢评必督”原则，每次认定须安排至少 %(min)s 名质量督导员（%(ref)s）。")
            % {"min": C.MIN_SUPERVISORS, "ref": cite("seed 001 第二十一条")}
        )
    return problems


def on_site_refusal(candidates_in_occupation: int) -> str | None:
    """Enterprise on-site appraisal: more than 15 candidates in the occupation (seed 002 附件1 三)."""
    if candidates_in_occupation <= C.ON_SITE_MIN_EXCLUSIVE:
        return _("单次申报单一职业（工种）超过 %(min)s 人方可在企业内开展鉴定（现 %(n)s 人）。") % {
            "min": C.ON_SITE_MIN_EXCLUSIVE,
            "n": candidates_in_occupation,
        }
    return None


# -- methods ---------------------------------------------------------------------------------------


def allowed_methods(route: str, kind: str) -> frozenset[str]:
    """Employers (route Y) may use every method of seed 001 第十四条; technical schools add competition
    results (seed 004 三(二)); others use theory and practical exams."""
    if route == "Y":
        methods = set(C.EMPLOYER_METHODS)
        if kind in C.SCHOOL_KINDS:
            methods |= C.SCHOOL_METHODS
        return frozenset(methods)
    if kind in C.SCHOOL_KINDS:
        return C.SCHOOL_METHODS
    return C.STANDARD_METHODS


def methods_refusal(methods, route: str, kind: str) -> str | None:
    methods = set(methods)
    if not methods:
        return _("请至少选择一种评价方式。")
    extra = methods - allowed_methods(route, kind)
    if extra:
        labels = "、".join(str(C.Method(m).label) for m in sorted(extra))
        return _("本机构不能采用以下评价方式：%(methods)s。") % {"methods": labels}
    return None


# -- whom an institution assesses ------------------------------------------------------------------------


def parse_relation(text: str) -> str | None:
    """The Relation a roster cell names ("劳务派遣" -> dispatched), or None for words it does not know."""
    words = "".join(str(text or "").split())
    for relation, names in C.RELATION_WORDS.items():
        if words in names:
            return relation
    return None


def allowed_relations(route: str, kind: str) -> frozenset[str] | None:
    """Whom the institution may assess: a school on route Y its own students (seed 000 一, seed 004 二(四)),
    another employer on route Y its own staff of every kind (seed 001 第二条); None = anyone (route S)."""
    if route != "Y":
        return None
    return C.SCHOOL_RELATIONS if kind in C.SCHOOL_KINDS else C.EMPLOYER_RELATIONS


def relation_refusal(relation: str | None, route: str, kind: str) -> str | None:
    """Why a candidate of ``relation`` may not be on this institution's roster, citing the clause; None
    when they may. On route Y the relation must be given (the roster's 与本单位关系 column)."""
    allowed = allowed_relations(route, kind)
    if allowed is None:
        return None
    school = kind in C.SCHOOL_KINDS
    ref = cite("seed 000 一") + "、" + cite("seed 004 二(四)") if school else cite("seed 001 第二条")
    if relation is None:
        return _("请在“与本单位关系”列填写%(allowed)s（%(ref)s）。") % {
            "allowed": "、".join(str(r.label) for r in C.Relation if r in allowed),
            "ref": ref,
        }
    if relation in allowed:
        return None
    if school:
        return _("院校以用人单位方式备案的，只能面向本校学生开展认定，%(relation)s不能参加（%(ref)s）。") % {
            "relation": C.Relation(relation).label,
            "ref": ref,
        }
    return _(
        "用人单位只能对本单位职工（含劳务派遣、劳务外包及在企业实习人员）开展认定，%(relation)s不能参加（%(ref)s）。"
    ) % {"relation": C.Relation(relation).label, "ref": ref}


def theory_required(methods, title_bridged: bool) -> bool:
    """Title-bridged candidates are exempt from the theory exam (seed 002 附件2 三(二))."""
    return C.Method.THEORY in set(methods) and not title_bridged


# -- scope -----------------------------------------------------------------------------------------


def scope_refusals(
    occupation_code: str, levels, scope: set[tuple[str, int]], occupation_name=""
) -> list[str]:
    """Every level of the plan that lies outside the filed scope, or a refusal when none is filed."""
    if not scope:
        return [_("本机构没有有效的备案（未备案、已过期、已注销或已撤销），不能制定认定方案。")]
    problems = []
    codes = {code for code, _level in scope}
    if occupation_code not in codes:
        return [
            _("职业 %(code)s %(name)s 不在本机构备案的职业范围内。")
            % {"code": occupation_code, "name": occupation_name}
        ]
    for level in sorted(levels):
        if (occupation_code, int(level)) not in scope:
            problems.append(
                _("职业 %(code)s %(name)s 的 %(level)s 级不在本机构备案的等级范围内。")
                % {"code": occupation_code, "name": occupation_name, "level": level}
            )
    return problems


# -- clocks ----------------------------------------------------------------------------------------


def lead_days() -> int:
    return getattr(settings, "CERTIFICATION_PLAN_LEAD_WORKING_DAYS", C.PLAN_LEAD_WORKING_DAYS)


def first_allowed_start(submitted_on: date) -> workdays.Deadline:
    """The earliest start date of a plan submitted on ``submitted_on``: the 5th working day after it
    (seed 001 第十六条(一): 在实施前5个工作日报送), counted on the calendar with holidays and 调休."""
    return workdays.deadline_after(submitted_on, lead_days())


def submit_clock_q(clock: str, today: date) -> tuple[Q, bool]:
    """The plans still to submit (draft or returned) whose last day to submit (the latest day ``s`` with
    ``first_allowed_start(s) <= start_date``) is past ("overdue"), today ("today") or within
    ``DUE_SOON_WORKING_DAYS`` working days ("due_soon"): the first allowed start grows with the day of
    submission, so "last day to submit <= d" is ``start_date < first_allowed_start(d + 1 day)``, one
    comparison on the start date (the institution's dashboard and its plan list). And whether a cut-off
    is provisional (an unannounced year)."""
    first_today = first_allowed_start(today)
    if clock == "overdue":
        return Q(start_date__lt=first_today.date), first_today.provisional
    last = today if clock == "today" else workdays.deadline_after(today, C.DUE_SOON_WORKING_DAYS).date
    cut = first_allowed_start(last + timedelta(days=1))
    q = Q(start_date__gte=first_today.date, start_date__lt=cut.date)
    return q, first_today.provisional or cut.provisional


def start_refusal(submitted_on: date, start: date) -> str | None:
    first = first_allowed_start(submitted_on)
    if start < first.date:
        return _("认定方案须在实施前 %(n)s 个工作日报送：今天提交，最早开始日期为 %(first)s。") % {
            "n": lead_days(),
            "first": str(first),
        }
    return None


def report_due(end_date: date) -> workdays.Deadline:
    """seed 001 第十六条(三): results within 5 working days after the end."""
    return workdays.deadline_after(end_date, C.REPORT_WORKING_DAYS)


def verify_due(reported_on: date) -> workdays.Deadline:
    """seed 001 第十六条(三): the centre checks within 5 working days."""
    return workdays.deadline_after(reported_on, C.VERIFY_WORKING_DAYS)


def upload_due(verified_on: date) -> workdays.Deadline:
    """seed 001 第十六条(三): uploaded to the ministry centre within 10 working days."""
    return workdays.deadline_after(verified_on, C.UPLOAD_WORKING_DAYS)


def clock_status(due: date | None, on: date) -> str:
    """ "overdue" (red), "due_soon" (amber: within 2 calendar-independent working days), "ok" or ""."""
    if due is None:
        return ""
    if on > due:
        return "overdue"
    soon = workdays.deadline_after(on, C.DUE_SOON_WORKING_DAYS).date
    return "due_soon" if due <= soon else "ok"


def review_due(materials_received: date) -> date:
    """The centre finishes a comprehensive review within one month of receiving the materials (seed 002
    综合评审工作流程 五(一)); a day missing in the next month means its last day (31 January -> 28/29 February)."""
    import calendar

    months = C.REVIEW_MONTHS
    month0 = materials_received.month - 1 + months
    year, month = materials_received.year + month0 // 12, month0 % 12 + 1
    return materials_received.replace(
        year=year, month=month, day=min(materials_received.day, calendar.monthrange(year, month)[1])
    )


def latest_materials_due_by(day: date) -> date:
    """The latest materials-received date whose one-month review limit falls on or before ``day`` (the
    due date grows with the materials date, so a queue filters its overdue rows with one comparison)."""
    received = day - timedelta(days=28)  # a month is at least 28 days
    while review_due(received) > day:
        received -= timedelta(days=1)
    return received


def materials_submission_due(exams_end: date) -> date:
    """The last day the unit may hand in a candidate's comprehensive review materials: one week after the
    theory and practical exams end (seed 002 综合评审工作流程 五(一))."""
    return exams_end + timedelta(days=C.MATERIALS_SUBMIT_DAYS)


def materials_days_late(received_on: date, exams_end: date) -> int:
    """How many days after the one-week limit the materials arrived (0: in time)."""
    return max(0, (received_on - materials_submission_due(exams_end)).days)


def location_refusal(location: str) -> str | None:
    """The review's place is named by the centre (seed 002 综合评审工作流程 三: 评审地点由市鉴定中心统一指定)."""
    if not (location or "").strip():
        return _("请填写市鉴定中心指定的评审地点（%(ref)s）。") % {
            "ref": cite("seed 002 综合评审工作流程 三")
        }
    return None


def materials_refusal(received_on: date, today: date, plan_start: date) -> str | None:
    """A materials-received date lies between the plan's start and today."""
    if received_on > today:
        return _("材料收到日期不能晚于今天（%(today)s）。") % {"today": today.isoformat()}
    if received_on < plan_start:
        return _("材料收到日期不能早于认定开始日期（%(start)s）。") % {"start": plan_start.isoformat()}
    return None


# -- retention -------------------------------------------------------------------------------------


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February -> 28 February
        return d.replace(year=d.year + years, day=28)


def retention_until(records_date: date, electronic: bool = True) -> date:
    """seed 001 第十七条: paper >= 3 years, electronic >= 5 years from the end of the assessment."""
    years = C.ELECTRONIC_RETENTION_YEARS if electronic else C.PAPER_RETENTION_YEARS
    return _add_years(records_date, years)


def deletion_refusal(records_date: date | None, on: date, electronic: bool = True) -> str | None:
    """Records of an assessment may not be deleted before the retention period ends."""
    if records_date is None:
        return None
    until = retention_until(records_date, electronic)
    if on < until:
        return _(
            "认定资料须保存至 %(until)s（纸质不少于 %(paper)s 年、电子不少于 %(electronic)s 年，%(ref)s），不能删除。"
        ) % {
            "ref": cite("seed 001 第十七条"),
            "until": until.isoformat(),
            "paper": C.PAPER_RETENTION_YEARS,
            "electronic": C.ELECTRONIC_RETENTION_YEARS,
        }
    return None
