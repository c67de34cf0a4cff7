"""Uploading a plan's candidate roster (checked with the eligibility roster reader: seed 000 附件1 and the
title bridge of seed 002 附件2) and its score sheet. All or nothing: a file with any row error changes
nothing and every error is listed with its line."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eligibility import roster as eligibility_roster
from filings import institutions
from portal import audit, identifiers, sheets, uploads
from portal.notices import cite

from . import attendance, rules
from .constants import MAX_ROSTER_ROWS, Method, OtherResult
from .models import Candidate
from .workflow import WorkflowError, check_editable


@dataclass
class ImportResult:
    count: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    # Roster uploads: the rows accepted onto the plan through the portal (title_bridged: a professional's
    # skill application, seed 002 附件2 三(四)2) that a re-upload keeps, and the file's lines naming one of
    # them, which were left out (the portal's row stands).
    kept: list[str] = field(default_factory=list)
    duplicates: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _read_upload(upload) -> tuple[bytes, str]:
    try:
        kind = uploads.validate_upload(upload, allowed=("xlsx", "csv"))
    except ValidationError as error:
        raise WorkflowError(error.messages[0]) from None
    upload.seek(0)
    return upload.read(), kind


def sex_from_id(id_number: str) -> str:
    """GB 11643: the 17th character is odd for men, even for women."""
    try:
        return "男" if int(id_number[16]) % 2 else "女"
    except (IndexError, ValueError):
        return ""


def document_sex(kind, number: str) -> str:
    """男 or 女 where the document carries the holder's sex (identifiers.document_sex), else blank."""
    return {"M": "男", "F": "女"}.get(identifiers.document_sex(kind, number) or "", "")


def import_roster(plan, upload, actor, on=None, progress=None) -> ImportResult:
    """Replaces the plan's roster with the uploaded one. Each row is checked against Annex 1 on ``on``
    (default the plan's start date: the conditions must be met when the assessment takes place).

    The rows put on the plan through the portal (``title_bridged``: a professional accepted from their skill
    application, seed 002 附件2 三(四)2, theory waived) are not the file's to replace: they stay, after the
    file's rows, and a line of the file naming the same person at the same level is left out (listed in
    ``duplicates``). The roster import itself reads no title columns, so its own rows are never bridged.
    ``progress(done, total=None)``: how far the rows are read (a large roster imported by the worker,
    certification.import_jobs)."""
    check_editable(plan, actor)
    data, kind = _read_upload(upload)
    occupation = plan.occupation
    try:
        result = eligibility_roster.read_roster(
            data,
            occupations=lambda code: occupation if code == occupation.code else None,
            on=on or plan.start_date,
            kind=kind,
            max_rows=MAX_ROSTER_ROWS,
            titles=False,  # the 附件2 title columns of the eligibility check are not a plan's business
            plan=True,
            progress=progress,
        )
    except eligibility_roster.RosterError as error:
        raise WorkflowError(str(error)) from None
    outcome = ImportResult()
    levels = set(plan.level_list)
    filing = institutions.current_filing(plan.institution)
    route, institution_kind = (filing.route, filing.kind) if filing else ("", "")
    kept = list(Candidate.objects.filter(plan=plan, title_bridged=True).order_by("row", "pk"))
    kept_keys = {(c.document_kind, c.id_number, c.level) for c in kept}
    candidates = []
    for row in result.rows:
        errors = list(row.errors)
        # Whom the institution may assess (seed 001 第二条; seed 000 一; seed 004 二(四)).
        relation_text = row.data.get("relation", "")
        relation = rules.parse_relation(relation_text)
        if relation_text and relation is None:
            errors.append(
                _(
                    "与本单位关系“%(value)s”无法识别（应为本单位职工、劳务派遣人员、劳务外包人员、在企业实习人员、本校学生或社会人员）。"
                )
                % {"value": relation_text}
            )
        elif refusal := rules.relation_refusal(relation, route, institution_kind):
            errors.append(refusal)
        if row.level is not None and row.level not in levels:
            errors.append(_("申报等级 %(level)s 级不在本方案的等级范围内。") % {"level": row.level})
        if row.data.get("occupation_code") and row.occupation is None:
            errors = [e for e in errors if "职业代码" not in e]
            errors.append(
                _("职业代码“%(code)s”与本方案的职业（%(plan)s）不一致。")
                % {"code": row.data.get("occupation_code"), "plan": occupation.code}
            )
        if errors:
            outcome.errors += [(row.line, e) for e in errors]
            continue
        # The row was checked through identifiers.check_document (eligibility.roster): this is its number
        # as stored, of the type the 证件类型 column names (居民身份证 when the file has no such column).
        document = row.document or identifiers.DocumentKind.RESIDENT_ID
        id_number = identifiers.check_document(document, row.data["id_number"])
        if (document, id_number, row.level) in kept_keys:
            outcome.duplicates.append((row.line, row.data["name"]))
            continue
        decision, bridge = row.decision, row.bridge
        eligible = decision.eligible or (bridge is not None and bridge.eligible)
        clause = decision.clause or (bridge.clause if bridge is not None and bridge.eligible else "")
        reasons = decision.reasons + (bridge.reasons if bridge is not None and not decision.eligible else [])
        candidates.append(
            Candidate(
                plan=plan,
                row=row.line,
                name=row.data["name"],
                document_kind=document,
                id_number=id_number,
                sex=row.sex or document_sex(document, id_number),
                level=row.level,
                eligible=eligible,
                clause=clause or "",
                reasons=reasons,
                title_bridged=bool(bridge is not None and bridge.eligible),
                relation=relation or "",
            )
        )
    if outcome.errors:
        return outcome
    if not candidates and not outcome.duplicates:
        raise WorkflowError(_("名册中没有考生。"))
    # The file is written with the rows and goes if they roll back; the roster it replaces goes on commit.
    with uploads.stored_files() as files:
        _clear_roster(plan)
        Candidate.objects.bulk_create(candidates, batch_size=1000)
        last = max((c.row for c in candidates), default=1)
        for offset, candidate in enumerate(kept, start=1):  # the portal's rows follow the file's
            candidate.row = last + offset
        Candidate.objects.bulk_update(kept, ["row"])
        outcome.kept = [c.name for c in kept]
        name = uploads.random_name("certification/rosters", kind)
        files.delete_after_commit(plan.roster_file.name, plan.roster_file.storage)
        files.save_field(plan.roster_file, name.rsplit("/", 1)[-1], ContentFile(data))
        plan.save(update_fields=["roster_file", "updated_at"])
        audit.record(
            "certification_roster_uploaded",
            plan,
            actor,
            candidates=len(candidates),
            eligible=sum(c.eligible for c in candidates),
            kept=len(kept),
        )
    outcome.count = len(candidates)
    return outcome


def _clear_roster(plan) -> None:
    """Drops the draft's previous roster, but for the rows put on it through the portal (``title_bridged``,
    which a skill application points at). A draft has no reviews or other rows pointing at the uploaded
    candidates, so one DELETE does; Django's collector would first load every candidate."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {Candidate._meta.db_table} WHERE plan_id = %s AND NOT title_bridged", [plan.pk]
        )


# -- scores ------------------------------------------------------------------------------------------

SCORE_COLUMNS = {
    "id_number": ("身份证号码", "身份证号", "公民身份号码", "证件号码"),
    "document_kind": ("证件类型", "证件种类"),
    "name": ("姓名",),
    "level": ("申报等级", "等级"),
    "theory": ("理论知识成绩", "理论成绩", "理论"),
    "practical": ("技能操作成绩", "操作成绩", "实操成绩", "技能"),
    "other": ("其他方式结果", "评价结果", "其他评价结果"),
    "note": ("说明", "备注", "评价说明"),
}
SCORE_HEADERS = [
    "姓名",
    "身份证号码",
    "证件类型",
    "申报等级",
    "理论知识成绩",
    "技能操作成绩",
    "其他方式结果",
    "说明",
]
OTHER_VALUES = {
    "合格": OtherResult.PASS,
    "通过": OtherResult.PASS,
    "不合格": OtherResult.FAIL,
    "不通过": OtherResult.FAIL,
}


def _rows(data: bytes, kind: str):
    """The sheet's rows, from the first on: an XLSX's first worksheet with the values openpyxl's read-only
    reader gives (portal.sheets.xlsx_values, read by python-calamine as the roster is: issue 42 item 3), a
    CSV's cells as text."""
    if kind == "xlsx":
        try:
            yield from sheets.xlsx_values(data)
        except sheets.UnreadableSheet:
            raise WorkflowError(
                _("无法读取该 XLSX 文件，请确认文件未损坏且为 Excel 2007 及以上格式。")
            ) from None
    else:
        try:
            text = eligibility_roster.decode_text(data)
        except eligibility_roster.RosterError as error:
            raise WorkflowError(str(error)) from None
        yield from csv.reader(io.StringIO(text, newline=""))


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    # Full-width digits and spaces (U+3000) typed on Chinese keyboards read as ASCII.
    return identifiers.normalize_text(str(value))


def can_enter_scores(plan, user) -> bool:
    from portal import roles

    return (
        plan.scores_open
        and roles.has_role(user, roles.APPLICANT)
        and user.institution_id == plan.institution_id
    )


def import_scores(plan, upload, actor) -> ImportResult:
    """Scores by ID number (and level when the roster has the same person twice)."""
    if not can_enter_scores(plan, actor):
        raise WorkflowError(_("认定方案审查通过后、结果上报前方可录入成绩。"))
    data, kind = _read_upload(upload)
    # No more scores than candidates: counted before any row is read, so nothing changes (portal.sheets).
    too_long = WorkflowError(_("成绩单超过 %(max)s 行，请分批上传。") % {"max": MAX_ROSTER_ROWS})
    if kind == "xlsx":
        over = sheets.xlsx_rows_over(data, MAX_ROSTER_ROWS + 1)  # + 1: the header row
    else:
        over = sheets.text_rows_over(_rows(data, kind), MAX_ROSTER_ROWS + 1)
    if over:
        raise too_long
    source = _rows(data, kind)
    header = None
    header_line = 0
    for values in source:
        header_line += 1
        if values and any(_cell(v) for v in values):
            header = [_cell(v) for v in values]
            break
    if header is None:
        raise WorkflowError(_("文件中没有表头行和数据。"))
    positions = {}
    for key, names in SCORE_COLUMNS.items():
        for i, title in enumerate(header):
            if title in names:
                positions[key] = i
                break
    if "id_number" not in positions:
        raise WorkflowError(_("缺少必填列：身份证号码。请使用成绩单模板。"))
    methods = set(plan.methods)
    absent = attendance.absences(plan.candidates.all())  # issue 44: no score for an exam missed
    # By number and level, the level left out when the roster has the person once; the document type too
    # where the sheet has the 证件类型 column (None: any type).
    by_key = {}
    for c in plan.candidates.all():
        for kind in (c.document_kind, None):
            by_key.setdefault((kind, c.id_number, c.level), c)
            by_key.setdefault((kind, c.id_number, None), c)
    outcome = ImportResult()
    changed = {}
    rows = 0
    for line, values in enumerate(source, start=header_line + 1):
        if not values or not any(_cell(v) for v in values):
            continue
        rows += 1
        if rows > MAX_ROSTER_ROWS:
            raise too_long

        def get(key, values=values):
            i = positions.get(key)
            return _cell(values[i]) if i is not None and i < len(values) else ""

        errors = []
        try:
            document, id_number = identifiers.sheet_document(get("document_kind"), get("id_number"))
        except ValueError as error:
            outcome.errors.append((line, str(error)))
            continue
        level = None
        if get("level"):
            try:
                level = eligibility_roster.parse_level(get("level"))
            except ValueError:
                errors.append(_("申报等级“%(value)s”无法识别。") % {"value": get("level")})
        candidate = by_key.get((document, id_number, level))
        if candidate is None:
            outcome.errors.append((line, _not_on_roster(document, id_number)))
            continue
        values_in = {}
        for key in ("theory", "practical"):
            raw = get(key)
            if raw == ABSENT_MARK:  # as the pre-filled sheet writes a missed exam: no score
                raw = ""
            bad = rules.check_score(raw) if raw else None
            if bad:
                errors.append(bad)
            values_in[key] = Decimal(raw) if raw and not bad else None
        other = get("other")
        if other and other not in OTHER_VALUES:
            errors.append(_("其他方式结果应为“合格”或“不合格”。"))
        result = dict(
            theory=values_in["theory"],
            practical=values_in["practical"],
            other_result=OTHER_VALUES.get(other, ""),
            note=get("note"),
        )
        errors += score_problems(candidate, methods, **result, absent=absent.get(candidate.pk, ()))
        if errors:
            outcome.errors += [(line, e) for e in errors]
            continue
        set_scores(candidate, **result)
        changed[candidate.pk] = candidate
    if outcome.errors:
        return outcome
    with uploads.stored_files() as files:  # as for the roster
        _save_scores(list(changed.values()))
        name = uploads.random_name("certification/scores", kind)
        files.delete_after_commit(plan.score_file.name, plan.score_file.storage)
        files.save_field(plan.score_file, name.rsplit("/", 1)[-1], ContentFile(data))
        plan.save(update_fields=["score_file", "updated_at"])
        audit.record("certification_scores_uploaded", plan, actor, rows=len(changed))
    outcome.count = len(changed)
    return outcome


SCORE_FIELDS = ["theory_score", "practical_score", "other_result", "other_note"]
# What the pre-filled score sheet writes in the cell of an exam the candidate missed (marked absent on the
# day); read back as no score.
ABSENT_MARK = "缺考"
ABSENT_LABELS = (
    ("theory", gettext_lazy("理论知识考试")),
    ("practical", gettext_lazy("技能操作考核")),
    ("other_result", gettext_lazy("综合评审")),
)


def score_problems(candidate, methods, *, theory, practical, other_result, note, absent=()) -> list[str]:
    """Why these results cannot be entered for ``candidate``: one set of rules for the score sheet and
    the candidate's page. ``theory``/``practical``: Decimal or None; ``other_result``: an OtherResult
    value or ""; ``methods``: the plan's assessment methods; ``absent``: the results the candidate may not
    have, marked absent from that exam's session (attendance.absences)."""
    methods = set(methods)
    problems = []
    given = {
        "theory": theory is not None,
        "practical": practical is not None,
        "other_result": bool(other_result),
    }
    missed = [str(label) for key, label in ABSENT_LABELS if key in absent and given[key]]
    if missed:
        problems.append(
            _("%(name)s %(exams)s缺考，不能录入该项成绩。")
            % {"name": candidate.name, "exams": "、".join(missed)}
        )
    if not candidate.confirmed:
        problems.append(_("%(name)s 不符合申报条件且未经人工确认，不能录入成绩。") % {"name": candidate.name})
    if theory is not None and candidate.title_bridged:
        problems.append(
            _("%(name)s 为职称贯通考生，免于理论知识考试（%(ref)s），请勿填写理论成绩。")
            % {"name": candidate.name, "ref": cite("seed 002 附件2 三")}
        )
    if theory is not None and Method.THEORY not in methods:
        problems.append(_("本方案不含理论知识考试。"))
    if practical is not None and Method.PRACTICAL not in methods:
        problems.append(_("本方案不含技能操作考核。"))
    if other_result and not (methods - {Method.THEORY, Method.PRACTICAL}):
        problems.append(_("本方案只采用理论知识考试和技能操作考核，不能填写其他方式结果。"))
    if other_result and not note:
        problems.append(_("填写其他方式结果时请在“说明”中写明评价依据。"))
    return problems


def set_scores(candidate, *, theory, practical, other_result, note) -> None:
    candidate.theory_score, candidate.practical_score = theory, practical
    candidate.other_result, candidate.other_note = other_result or "", (note or "")[:300]


def enter_score(candidate, actor, *, theory, practical, other_result, note) -> list[str]:
    """One candidate's results from the candidate's page: the rules of the score sheet, then saved and
    audited; returns the problems (nothing saved) or []."""
    plan = candidate.plan
    if not can_enter_scores(plan, actor):
        raise WorkflowError(_("认定方案审查通过后、结果上报前方可录入成绩。"))
    result = dict(theory=theory, practical=practical, other_result=other_result, note=note)
    absent = attendance.absences([candidate]).get(candidate.pk, set())
    problems = score_problems(candidate, plan.methods, **result, absent=absent)
    if problems:
        return problems
    set_scores(candidate, **result)
    candidate.save(update_fields=SCORE_FIELDS)
    audit.record("certification_scores_uploaded", plan, actor, rows=1, candidate=candidate.pk)
    return []


def _save_scores(candidates) -> None:
    """One UPDATE ... FROM (VALUES ...) per 1,000 rows on PostgreSQL: bulk_update's CASE expressions
    grow with the batch and made 2,000 rows take seconds."""
    from django.db import connection

    if connection.vendor != "postgresql":
        Candidate.objects.bulk_update(candidates, SCORE_FIELDS, batch_size=500)
        return
    table = Candidate._meta.db_table
    with connection.cursor() as cursor:
        for start in range(0, len(candidates), 1000):
            chunk = candidates[start : start + 1000]
            values = ", ".join(["(%s, %s::numeric, %s::numeric, %s, %s)"] * len(chunk))
            params = []
            for c in chunk:
                params += [c.pk, c.theory_score, c.practical_score, c.other_result, c.other_note]
            cursor.execute(
                f"UPDATE {table} AS c SET theory_score = v.t, practical_score = v.p, other_result = v.o, "
                f"other_note = v.n FROM (VALUES {values}) AS v(id, t, p, o, n) WHERE c.id = v.id",
                params,
            )


def _not_on_roster(document, number: str) -> str:
    """A sheet's number the roster does not have, masked by its type's rule when it is a valid number of
    that type (shown as typed otherwise: a typing error, not anyone's number)."""
    kind = document or identifiers.DocumentKind.RESIDENT_ID
    try:
        shown = identifiers.mask_document(kind, identifiers.check_document(kind, number))
    except ValidationError:
        shown = number
    if document is None or document == identifiers.DocumentKind.RESIDENT_ID:
        return _("身份证号码 %(id)s 不在本方案的考生名册中。") % {"id": shown}
    return _("%(kind)s号码 %(id)s 不在本方案的考生名册中。") % {"kind": document.label, "id": shown}


def score_template(plan) -> bytes:
    """The score sheet pre-filled with the plan's candidates."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("成绩单"))
    sheet.append(SCORE_HEADERS)
    candidates = plan.candidates.all()
    absent = attendance.absences(candidates)
    for c in candidates:
        missed = absent.get(c.pk, ())
        sheet.append(
            [
                sheets.safe_cell(c.name),
                c.id_number,
                str(c.get_document_kind_display()),
                c.level,
                ABSENT_MARK if "theory" in missed else c.theory_score,
                ABSENT_MARK if "practical" in missed else c.practical_score,
                dict(OtherResult.choices).get(c.other_result, ""),
                sheets.safe_cell(c.other_note),
            ]
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# The score sheet's readers, public for the enterprise 职业技能鉴定's score sheet (appraisals.workflow
# .import_scores: the same file checks, layout and cells, not a copy).
read_upload = _read_upload
sheet_rows = _rows
sheet_cell = _cell
