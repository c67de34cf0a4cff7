"""A 技工院校 files with its own package: 《关于开展技工院校职业技能等级认定工作的通知》（辽人社〔2020〕32号）四(一) 1-6
(the six materials), 四(二) (the 承诺书), 附件1 (三 专业设置、课程内容、校企合作; 备注 per occupation; 五 注: 非本单位人员's
承诺书 or 合作协议), 附件2 (the 工作方案 in seven parts, printed) and 附件3 (the city's 申请备案表, XLSX and PDF).
Issue 38 item 1."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from filings import documents, school_record, workflow
from filings.constants import Route, State, checklist
from filings.models import Attachment, FilingOccupation, FilingPerson, SchoolWorkPlan

from .factories import FilingFactory, in_state

pytestmark = pytest.mark.django_db

ON = datetime.date(2026, 6, 1)


def required(route, kind):
    return [code for code, _label, needed in checklist(route, kind) if needed]


def text_of(pdf: bytes) -> str:
    return (
        "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
        .replace(" ", "")
        .replace("\n", "")
    )


def school(institution, **kwargs):
    return FilingFactory(
        institution=institution,
        route=Route.SOCIAL,
        kind="technician_college",
        rows=True,
        files=True,
        **kwargs,
    )


@pytest.mark.parametrize("kind", ["technician_college", "senior_technical_school", "technical_school"])
def test_a_school_hands_in_the_six_materials_of_its_own_notice_and_the_pledge(kind):
    assert required(Route.SOCIAL, kind) == [
        "t1_form",
        "t2_plan",
        "t3_rules",
        "t4_standards",
        "t5_assets",
        "t6_organisation",
        "t7_pledge",  # 四(二) 承诺书
        "s10_enrolment",  # 《市人社局关于征集社会培训评价组织的通告》二(六)1 正常招生
    ]
    # the outside people's pledges: an item of the list, required only when someone is from outside
    assert "t8_external" in {code for code, _l, _r in checklist(Route.SOCIAL, kind)}


def test_other_kinds_keep_the_materials_of_their_own_notice():
    assert required(Route.SOCIAL, "vocational_school")[:7] == [f"s{i}_{n}" for i, n in enumerate(
        ["form", "legal_person", "plan", "personnel", "assets", "it", "evidence"], start=1
    )]  # fmt: skip
    assert not {c for c in required(Route.SOCIAL, "enterprise") if c.startswith("t")}


def test_the_package_is_complete_only_with_its_profile_work_plan_and_pledge(alice):
    filing = school(alice.institution)
    assert workflow.missing_sections(filing) == []

    filing.school_profile = ""
    filing.save(update_fields=["school_profile"])
    assert any("专业设置" in m for m in workflow.missing_sections(filing))
    filing.school_profile = "数控专业"
    filing.save(update_fields=["school_profile"])

    plan = filing.work_plan
    plan.quality = " "
    plan.save()
    missing = "；".join(workflow.missing_sections(filing))
    assert "六、质量管控措施" in missing and "五、评价内容及形式" not in missing
    plan.quality = "三级质量督导"
    plan.other = ""  # 七、其他 is the school's own addition: it may stay empty
    plan.save()
    assert workflow.missing_sections(filing) == []

    Attachment.objects.filter(filing=filing, item="t7_pledge").delete()
    assert any("承诺书" in m for m in workflow.missing_sections(filing))


def test_a_school_without_a_work_plan_is_told_each_part(alice):
    filing = school(alice.institution)
    SchoolWorkPlan.objects.filter(filing=filing).delete()
    (line,) = [m for m in workflow.missing_sections(filing) if "工作方案" in m]
    for part in (
        "一、基本情况",
        "二、组织机构、职责",
        "三、职业（工种）",
        "四、评价流程",
        "五、评价内容及形式",
        "六、质量管控措施",
    ):
        assert part in line
    assert "七、其他" not in line


def test_people_from_outside_need_their_pledge_or_agreement(alice):
    filing = school(alice.institution)
    FilingPerson.objects.filter(filing=filing, role="expert").update(external=True)
    missing = "；".join(workflow.missing_sections(filing))
    assert "非本单位人员" in missing and "合作协议" in missing
    Attachment.objects.create(
        filing=filing, item="t8_external", file="filings/test/t8.pdf", original_name="t8.pdf", content_kind="pdf",
        size=1, uploaded_by=alice,
    )  # fmt: skip
    assert workflow.missing_sections(filing) == []
    workflow.submit(filing, alice, on=ON)
    assert filing.state == State.SUBMITTED


def test_the_application_prints_in_the_schools_own_form(alice):
    filing = school(alice.institution)
    FilingOccupation.objects.filter(filing=filing).update(note="仅本校学生")
    FilingPerson.objects.filter(filing=filing, role="staff").update(external=True)
    pdf, _html = documents.application_pdf(filing)
    text = text_of(pdf)
    assert "技工院校职业技能等级认定申请表" in text
    assert "统一社会信用代码/组织机构代码" in text
    assert "专业设置、课程内容、校企合作情况" in text and "校企合作单位5家" in text
    assert "仅本校学生" in text  # 备注
    assert "（非本单位）" in text
    assert "社会培训评价组织备案申请表" not in text
    # an organisation that is not a school keeps its own form
    other = FilingFactory(
        institution=alice.institution, route=Route.SOCIAL, kind="vocational_school", rows=True
    )
    assert "社会培训评价组织备案申请表" in text_of(documents.application_pdf(other)[0])


def test_the_work_plan_prints_its_seven_parts_for_whoever_sees_the_filing(client, alice, bob, carol):
    filing = school(alice.institution)
    plan = filing.work_plan
    plan.process = "报名、资格审核、考核、成绩评定、公示"
    plan.save()
    client.force_login(alice)
    response = client.get(reverse("filings:work_plan_pdf", args=[filing.pk]))
    assert response.status_code == 200
    text = text_of(response.content)
    assert "技工院校职业技能等级认定工作方案" in text
    for heading in ("一、基本情况", "四、评价流程", "六、质量管控措施", "七、其他"):
        assert heading in text
    assert "报名、资格审核、考核、成绩评定、公示" in text
    client.force_login(bob)
    assert client.get(reverse("filings:work_plan_pdf", args=[filing.pk])).status_code == 404


def test_the_edit_page_keeps_what_a_school_typed(client, alice):
    filing = school(alice.institution, state=State.DRAFT)
    client.force_login(alice)
    page = client.get(reverse("filings:edit", args=[filing.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="work-plan"' in html and 'data-testid="school-profile"' in html
    assert 'data-testid="work-plan-pdf"' in html
    form = page.context["form"]
    sets = page.context["sets"]
    data = {}
    for f in [form, sets["work_plan"]]:
        for field in f:
            value = field.value()
            if value is None or value is False:
                continue
            data[field.html_name] = value if not isinstance(value, bool) else "on"
    for name, formset in sets.items():
        if name == "work_plan":
            continue
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
        for sub in formset.forms:
            for field in sub:
                value = field.value()
                if value is None or value is False:
                    continue
                if isinstance(value, list):
                    data[field.html_name] = [str(v) for v in value]
                else:
                    data[field.html_name] = "on" if value is True else value
    data["version"] = filing.version
    data["wp-process"] = "新的评价流程"
    data["f-school_profile"] = "新的专业设置"
    data["occ-0-note"] = "备注一"
    response = client.post(reverse("filings:edit", args=[filing.pk]), data)
    assert response.status_code == 302, [m.message for m in response.wsgi_request._messages]
    filing.refresh_from_db()
    assert filing.school_profile == "新的专业设置"
    assert filing.work_plan.process == "新的评价流程"
    assert filing.occupations.get().note == "备注一"


def _schools(alice):
    passed = in_state(State.EVALUATED, institution=alice.institution, route=Route.SOCIAL, kind="technical_school",
                      name="天津市第一技工学校", address="天津市河北区 1 号")  # fmt: skip
    filed = in_state(State.FILED, institution=alice.institution, route=Route.SOCIAL, kind="technician_college",
                     name="天津市技师学院", filing_number="S-TEST-1")  # fmt: skip
    FilingOccupation.objects.create(
        filing=filed,
        occupation=filed.occupations.get().occupation,
        work_type="热菜",
        levels="12",
        note="预备技师班",
    )
    in_state(State.UNDER_EVALUATION, institution=alice.institution, route=Route.SOCIAL, kind="technical_school",
             name="天津市评估中技工学校")  # fmt: skip
    in_state(
        State.EVALUATED, institution=alice.institution, route=Route.SOCIAL, kind="enterprise", name="某企业"
    )
    return passed, filed


def test_the_record_table_lists_the_schools_past_their_check_one_line_per_occupation(alice):
    passed, filed = _schools(alice)
    rows = list(school_record.schools())
    assert rows == [filed, passed] or rows == [passed, filed]
    assert {f.name for f in rows} == {
        "天津市第一技工学校",
        "天津市技师学院",
    }  # not under evaluation, not an enterprise
    lines = school_record.lines(school_record.schools())
    assert [line.first for line in lines].count(True) == 2
    college = [line for line in lines if line.school == "天津市技师学院"]
    assert [line.span for line in college] == [2, 2] and college[1].note == "预备技师班"
    assert college[1].levels == filed.occupations.last().levels_display


def test_the_centre_exports_the_record_table_as_xlsx_and_pdf(client, alice, carol):
    passed, filed = _schools(alice)
    client.force_login(carol)
    page = client.get(reverse("filings:school_record_table"))
    assert page.status_code == 200 and "天津市第一技工学校" in page.content.decode()

    xlsx = client.get(reverse("filings:school_record_table"), {"format": "xlsx", "id": [passed.pk]})
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet["A1"].value == "技工院校职业技能等级认定申请备案表"
    assert "人力资源和社会保障局（加盖公章）" in sheet["A2"].value
    assert [c.value for c in sheet[3]] == list(school_record.COLUMNS)
    assert [c.value for c in sheet[4]][:3] == [1, "天津市第一技工学校", "天津市河北区 1 号"]
    assert sheet["F4"].value == "中式烹调师" and sheet["I4"].value == str(
        passed.occupations.get().levels_display
    )
    assert sheet["A5"].value is None  # only the school picked
    assert any(row[0] == "联系人：" for row in sheet.iter_rows(values_only=True))

    everything = load_workbook(
        io.BytesIO(client.get(reverse("filings:school_record_table"), {"format": "xlsx"}).content)
    ).active
    merged = {str(r) for r in everything.merged_cells.ranges}
    assert any(r.startswith("B") for r in merged)  # the college's two lines share its cells

    pdf = client.get(reverse("filings:school_record_table"), {"format": "pdf"})
    text = text_of(pdf.content)
    assert "技工院校职业技能等级认定申请备案表" in text
    assert "天津市技师学院" in text and "预备技师班" in text and "等级范围" in text


def test_only_staff_may_export(client, alice, bob, erin):
    for user in (alice, bob, erin):
        client.force_login(user)
        assert client.get(reverse("filings:school_record_table"), {"format": "xlsx"}).status_code == 404
