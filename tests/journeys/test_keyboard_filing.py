"""Issue 40: a keyboard-only applicant fills and submits a filing. Every step is a key: Tab and Shift+Tab
to move, typing, Space for checkboxes, Enter for buttons and links, the type-ahead box and Enter for the
occupation select; a file input is reached by Tab and opened by Space (its file chooser stands for the
operating system's dialog, which a keyboard user also works by keys). After each Tab the test checks
that the focus is on the control it meant, by its id and accessible name, so a broken tab order fails
here, and that the focus is visible (:focus-visible with an outline or a focus shadow). No click, no
fill. The skip link itself is tested in test_skip_link.py; here it is only used, as a keyboard user
would, to pass the navigation."""

from urllib.parse import urlsplit

import pytest

from filings.constants import State
from filings.models import Filing
from portal.levels import level_name
from tests.journeys.test_filings_application import PASSWORD, PDF, reference_world
from tests.portal.factories import UserFactory, id_number

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The focused element as a keyboard user meets it: its id (or name), its accessible name (aria-label,
# else its <label>, else its text), and whether its focus shows (transitions off: reduced motion).
FOCUSED = """() => {
  const e = document.activeElement;
  const label = e.getAttribute("aria-label") || (e.labels && e.labels.length ? e.labels[0].textContent : "")
    || e.textContent || "";
  const s = getComputedStyle(e);
  const ring = (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== "none";
  return {id: e.id || e.name || "", label: label.replace(/[\\s*]+/g, " ").trim(), visible: e.matches(":focus-visible") && ring};
}"""


def _focused(page):
    return page.evaluate(FOCUSED)


def _tab(page, expected_id, label=None, *, back=False):
    """One Tab (or Shift+Tab) lands on ``expected_id`` (whose name starts with ``label``), its focus shown."""
    page.keyboard.press("Shift+Tab" if back else "Tab")
    focused = _focused(page)
    assert focused["id"] == expected_id, f"Tab reached {focused}, not {expected_id}"
    if label is not None:
        assert focused["label"].startswith(label), (
            f"{expected_id} is named {focused['label']!r}, not {label!r}"
        )
    assert focused["visible"], f"the focus on {expected_id} is not visible: {focused}"
    return focused


def _tab_to_text(page, text):
    """One Tab lands on a link or button without an id, known by its text."""
    page.keyboard.press("Tab")
    focused = _focused(page)
    assert focused["label"] == text, f"Tab reached {focused}, not {text!r}"
    assert focused["visible"], f"the focus on {text!r} is not visible"


def _type(page, expected_id, text, label=None):
    """Tab to a text control, empty it (Ctrl+A, Delete) and type."""
    _tab(page, expected_id, label)
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type(text)


def _check(page, expected_id, label=None):
    _tab(page, expected_id, label)
    page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.checked"), f"Space did not check {expected_id}"


def _skip_navigation(page):
    page.keyboard.press("Tab")
    assert _focused(page)["label"] == "跳到主要内容"
    page.keyboard.press("Enter")
    assert _focused(page)["id"] == "main"


def _occupation_row(page, n, code, levels, person_times):
    """A row of the occupations formset, from its type-ahead box to its 删除 checkbox (left unticked)."""
    prefix = f"occ-{n}"
    # The type-ahead box above the select (static/portal/select_filter.js): type the code, Enter picks the
    # first match and moves the focus to the select itself.
    focused = _focused(page)
    assert focused["label"] == "输入名称或编码筛选" and focused["visible"], focused
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    assert _focused(page)["id"] == f"id_{prefix}-occupation"
    assert code in page.evaluate("document.activeElement.selectedOptions[0].text")
    _tab(page, f"id_{prefix}-work_type", "工种")
    for index in range(5):
        level_id = f"id_{prefix}-level_choices_{index}"
        _tab(page, level_id, level_name(index + 1))  # its own name, not the column's 申请级别
        if page.evaluate("document.activeElement.value") in levels:
            page.keyboard.press("Space")
    # The date input: one Tab stop per part, in the browser's order (month, day, year in Debian's
    # Chromium), then its calendar button. Arrow Up sets an empty part to its first value (the year to
    # this year), whatever the order: 1 January of this year.
    for _part in range(3):
        _tab(page, f"id_{prefix}-start_date", "培训评价起始日期")
        page.keyboard.press("ArrowUp")
    # The calendar button: Chromium draws its ring inside the input, out of the page script's view.
    page.keyboard.press("Tab")
    assert _focused(page)["id"] == f"id_{prefix}-start_date"
    _type(page, f"id_{prefix}-person_times", person_times, "已培训评价人数")
    _tab(page, f"id_{prefix}-is_new_occupation", "新职业")
    _tab(page, f"id_{prefix}-basis", "认定依据")
    _tab(page, f"id_{prefix}-note", "备注")
    _tab(page, f"id_{prefix}-DELETE", "删除")


def _person_row(page, role, n):
    prefix = f"p_{role}-0"
    _type(page, f"id_{prefix}-name", f"人员{n}", "姓名")
    _type(page, f"id_{prefix}-id_number", id_number(n), "身份证号")
    for field, label in [
        ("employer", "所在单位"),
        ("title", "职务"),
        ("education", "学历"),
        ("field", "专业方向"),
        ("external", "非本单位人员"),
        ("DELETE", "删除"),
    ]:
        _tab(page, f"id_{prefix}-{field}", label)
    _tab_to_text(page, "添加一行")


def _attach(page, item, path, label):
    _tab(page, f"att-{item}", label)
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(str(path))
    assert _focused(page)["id"] == f"att-{item}", "choosing a file lost the focus"


def test_applicant_fills_and_submits_a_filing_by_keyboard(live_server, page, tmp_path):
    from portal.models import Occupation

    reference_world()
    applicant = UserFactory(username="haihe", applicant=True)
    pdf = tmp_path / "材料.pdf"
    pdf.write_bytes(PDF)
    cook, turner = (Occupation.objects.get(code=c) for c in ("4-03-02-01", "6-18-01-01"))
    page.emulate_media(reduced_motion="reduce")  # focus shadows drawn at once, not mid-transition
    # Playwright intercepts file choosers once a page has a listener, set up asynchronously: a listener
    # from the start, so that the first Space on a file input is not missed while it is set up.
    page.on("filechooser", lambda chooser: None)
    base = live_server.url

    # Log in: the user name has the focus (autofocus), Enter submits.
    page.goto(base + "/accounts/login/")
    assert _focused(page)["id"] == "id_username"
    page.keyboard.type("haihe")
    _tab(page, "id_password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/dashboard/")

    # My filings: past the navigation, the breadcrumb and the rounds link to 新建备案申请.
    page.goto(base + "/filings/")
    _skip_navigation(page)
    _tab_to_text(page, "首页")
    _tab_to_text(page, "查看全部申报工作安排")
    _tab(page, "route", "申报类型")
    _tab_to_text(page, "新建备案申请")
    page.keyboard.press("Enter")
    page.wait_for_url("**/edit/")
    filing = Filing.objects.get(institution=applicant.institution)

    # 一、基本信息: name, code and contact come from the registration; the rest is typed.
    _skip_navigation(page)
    _tab_to_text(page, "首页")
    _tab_to_text(page, "我的备案申请")
    _tab_to_text(page, "关闭")  # the message "已创建备案申请草稿"
    _tab_to_text(page, "打印申请表（PDF）")
    _tab(page, "id_f-route", "申报类型")
    _tab(page, "id_f-kind", "机构性质")
    _tab(page, "id_f-credit_code", "统一社会信用代码")
    _tab(page, "id_f-group_branch", "集团（总公司）已备案的驻津分支机构")
    _tab(page, "id_f-name", "名称")
    _type(page, "id_f-address", "天津市河西区友谊路 20 号", "地址")
    _type(page, "id_f-registration_authority", "天津市市场监督管理委员会", "注册登记机构")
    _type(page, "id_f-registered_capital", "5000 万元", "注册资金")
    _type(page, "id_f-legal_representative", "张法人", "法定代表人")
    _tab(page, "id_f-legal_representative_title", "负责人职务")
    _tab(page, "id_f-legal_representative_phone", "负责人电话")
    _tab(page, "id_f-contact_name", "联系人")
    _type(page, "id_f-contact_title", "人力资源部部长", "联系人职务")
    _tab(page, "id_f-contact_phone", "联系电话")
    _tab(page, "id_f-contact_email", "电子邮箱")

    # 二、申报职业: the first row, then 添加一行 (Enter) and the second row, where the focus now is.
    page.keyboard.press("Tab")
    _occupation_row(page, 0, cook.code, {"3", "4", "5"}, "1200")
    _tab_to_text(page, "添加一行")
    page.keyboard.press("Enter")
    # The focus moves to the new row once its type-ahead box is there (filings/static/filings/formsets.js).
    page.wait_for_function("document.activeElement.dataset.typeAheadFor === 'occ-1-occupation'")
    _occupation_row(page, 1, turner.code, {"4", "5"}, "800")
    _tab_to_text(page, "添加一行")

    # 三、组织优势、场地设备, with one exam site and one row of equipment.
    _type(page, "id_f-advantages", "参与编写行业培训教材 3 部。", "组织优势")
    _type(page, "id_f-site_description", "实操考场 1,200 平方米，工位 60 个。", "场地情况")
    # the exam sites as a list (issue 44 item 1): one row, its use left at 理论及实操
    _type(page, "id_site-0-name", "实训基地", "场地名称")
    _type(page, "id_site-0-address", "天津市河西区友谊路 20 号", "地址")
    _type(page, "id_site-0-rooms", "2", "考场数")
    _type(page, "id_site-0-seats", "60", "考位（工位）数")
    _tab(page, "id_site-0-use", "用途")
    _tab(page, "id_site-0-DELETE", "删除")
    _tab_to_text(page, "添加一行")
    _type(page, "id_eq-0-name", "数控车床", "名称")
    _tab(page, "id_eq-0-brand", "品牌")
    _tab(page, "id_eq-0-model", "规格/型号")
    _type(page, "id_eq-0-quantity", "12", "数量")
    _tab(page, "id_eq-0-ownership", "所有权归属")
    _tab(page, "id_eq-0-DELETE", "删除")
    _tab_to_text(page, "添加一行")
    _type(page, "id_f-it_description", "考务计算机 80 台，全程视频监控。", "计算机考务管理")

    # 四、人员情况: one person in each of the four tables.
    for n, role in enumerate(("staff", "expert", "assessor", "supervisor")):
        _person_row(page, role, n)

    # 五、申报材料: the employer's three files; 六、诚信承诺.
    _attach(page, "y1_form", pdf, "《职业技能等级认定机构备案申请表》")
    _attach(page, "y2_licence", pdf, "企业营业执照复印件")
    _attach(page, "y3_rules", pdf, "企业职业技能等级自主认定工作实施办法")
    _check(page, "id_f-pledge_accepted", "已确认诚信承诺")
    _type(page, "id_f-pledge_signatory", "张法人", "承诺人")

    # Past 保存草稿 to 提交申请 (and Shift+Tab back and forth: the order holds both ways), and Enter.
    _tab(page, "action", "保存草稿")
    _tab(page, "action", "提交申请")
    _tab(page, "action", "保存草稿", back=True)
    _tab(page, "id_f-pledge_signatory", "承诺人", back=True)
    _tab(page, "action", "保存草稿")
    _tab(page, "action", "提交申请")
    page.keyboard.press("Enter")
    # The page's address keeps the skip link's #main through the redirect: compare the path.
    page.wait_for_url(lambda url: urlsplit(url).path == f"/filings/{filing.pk}/")
    assert page.get_by_test_id("state").inner_text() == "待初审", page.locator(".alert").all_inner_texts()

    filing.refresh_from_db()
    assert filing.state == State.SUBMITTED
    assert filing.address == "天津市河西区友谊路 20 号" and filing.pledge_signatory == "张法人"
    assert [(o.occupation_id, o.levels) for o in filing.occupations.order_by("id")] == [
        (cook.pk, "345"),
        (turner.pk, "45"),
    ]
    first = filing.occupations.order_by("id")[0].start_date
    assert (first.month, first.day) == (1, 1), first
    assert filing.people.count() == 4 and filing.equipment.get().quantity == 12
    site = filing.sites.get()
    assert (site.name, site.rooms, site.seats, site.use) == ("实训基地", 2, 60, "both")
    assert sorted(filing.attachments.values_list("item", flat=True)) == ["y1_form", "y2_licence", "y3_rules"]
