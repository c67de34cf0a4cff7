"""The numbers and names of the candidate rules. Each regulatory number is one constant citing its clause
in seed 000 附件1 ("申请参加职业技能评价条件") or seed 002 附件2. Clause numbering is the seed's own:
section 一 is level 5, 二 level 4, 三 level 3, 四 level 2, 五 level 1."""

from portal import notices

# The clauses the pages cite by name ({{ "annex1_conditions"|clause }}, portal.notices.register_clauses).
notices.register_clauses(annex1_conditions="seed 000 附件1", title_bridge="seed 002 附件2 三(二)1")

# Levels (seed 001 第六条): 5 is the lowest, 1 the highest.
LEVELS = (5, 4, 3, 2, 1)
LEVEL_SECTION = {5: "一", 4: "二", 3: "三", 2: "四", 1: "五"}  # seed 000 附件1 section per level

# The certificate each level builds on (a higher certificate also satisfies the requirement)
L4_PRIOR_CERT_LEVEL = 5  # seed 000 附件1 二(二): 五级/初级工证书
L3_PRIOR_CERT_LEVEL = 4  # seed 000 附件1 三(二)、三(五): 四级/中级工证书
L2_PRIOR_CERT_LEVEL = 3  # seed 000 附件1 四(一)、四(二)、四(四)、四(五): 三级/高级工证书
L1_PRIOR_CERT_LEVEL = 2  # seed 000 附件1 五(一)、五(二): 二级/技师证书

# Level 5 / 初级工
MIN_AGE = 16  # seed 000 附件1 一(一)、一(二): 年满16周岁

# Level 4 / 中级工
L4_WORK_YEARS = 5  # seed 000 附件1 二(一): 累计从事本职业或相关职业工作满5年
L4_AFTER_L5_CERT_YEARS = 3  # seed 000 附件1 二(二): 取得五级证书后累计从事…满3年

# Level 3 / 高级工
L3_WORK_YEARS = 10  # seed 000 附件1 三(一): 累计从事本职业或相关职业工作满10年
L3_AFTER_L4_CERT_YEARS = 4  # seed 000 附件1 三(二): 取得四级证书后累计从事…满4年
L3_AFTER_JUNIOR_TITLE_YEARS = 1  # seed 000 附件1 三(三): 取得初级职称后累计从事…满1年

# Level 2 / 技师
L2_AFTER_L3_CERT_YEARS = 5  # seed 000 附件1 四(一): 取得三级证书后累计从事…满5年
L2_AFTER_JUNIOR_TITLE_YEARS = 5  # seed 000 附件1 四(二): 取得初级职称后累计从事…满5年
L2_JUNIOR_ROUTE_AFTER_L3_CERT_YEARS = 1  # seed 000 附件1 四(二): 并在取得三级证书后从事…满1年
L2_AFTER_INTERMEDIATE_TITLE_YEARS = 1  # seed 000 附件1 四(三): 取得中级职称后累计从事…满1年
L2_GRADUATE_WORK_YEARS = 2  # seed 000 附件1 四(四): 高级技工学校、技师学院毕业生累计从事…满2年
L2_STUDENT_L3_CERT_HELD_YEARS = 2  # seed 000 附件1 四(五): 取得三级证书满2年的预备技师班、技师班学生

# Level 1 / 高级技师
L1_AFTER_L2_CERT_YEARS = 5  # seed 000 附件1 五(一): 取得二级证书后累计从事…满5年
L1_AFTER_INTERMEDIATE_TITLE_YEARS = 5  # seed 000 附件1 五(二): 取得中级职称后累计从事…满5年
L1_INTERMEDIATE_ROUTE_AFTER_L2_CERT_YEARS = 1  # seed 000 附件1 五(二): 并在取得二级证书后从事…满1年
L1_AFTER_SENIOR_TITLE_YEARS = 1  # seed 000 附件1 五(三): 取得高级职称后累计从事…满1年

# Title bridge (seed 002 附件2 三(二)1): 助理工程师、工程师、高级工程师 may apply for 高级工、技师、高级技师
# ("分别": each title maps to exactly one level) and are exempt from the theory exam (三(二) last paragraph).
TITLE_BRIDGE_LEVEL = {"junior": 3, "intermediate": 2, "senior": 1}
TITLE_BRIDGE_CLAUSE = "附件2 三(二)1"

TITLE_GRADES = ("junior", "intermediate", "senior")  # 初级 / 中级 / 高级职称
TITLE_RANK = {"junior": 1, "intermediate": 2, "senior": 3}

# Diploma kinds and the kinds each one counts as (seed 000 附件1 wording: a 技工院校高级工班 diploma is a
# 技工院校 diploma; 高级技工学校 and 技师学院 are 技工院校; an 经评估论证的高等职业学校 diploma is a 高等职业学校
# one). technician_class is a current student of a 技师学院 预备技师班/技师班: it holds a diploma (above
# 高级工班) only as an 在读应届毕业生 (graduating=True).
DIPLOMA_KINDS = (
    "technical_school",  # 技工院校
    "secondary_vocational",  # 中等职业学校
    "advanced_class",  # 技工院校高级工班及以上
    "higher_vocational",  # 高等职业学校、专科及以上普通高等学校
    "assessed_higher_vocational",  # 经评估论证的高等职业学校、专科及以上普通高等学校
    "senior_technical_school",  # 高级技工学校
    "technician_college",  # 技师学院
    "technician_class",  # 技师学院预备技师班、技师班学生
)
DIPLOMA_COUNTS_AS = {
    "technical_school": frozenset({"technical_school"}),
    "secondary_vocational": frozenset({"secondary_vocational"}),
    "advanced_class": frozenset({"advanced_class", "technical_school"}),
    "higher_vocational": frozenset({"higher_vocational"}),
    "assessed_higher_vocational": frozenset({"assessed_higher_vocational", "higher_vocational"}),
    "senior_technical_school": frozenset({"senior_technical_school", "technical_school"}),
    "technician_college": frozenset({"technician_college", "technical_school"}),
    "technician_class": frozenset({"technician_class", "advanced_class", "technical_school"}),
}

# Roster uploads
ROSTER_MAX_ROWS = 20_000  # more rows than any assessment plan; settings.ELIGIBILITY_ROSTER_MAX_ROWS overrides
ROSTER_RESULT_TTL = 30 * 60  # seconds a roster result stays downloadable (cache)
# The portal's choices (issue 39 item 4), no notice's: a roster of more rows is checked by the worker, with a
# progress bar the user may leave and come back to (portal.jobs); a smaller one answers on the page at once.
ROSTER_BACKGROUND_ROWS = 1_000
ROSTER_PROGRESS_EVERY = 200  # rows between two progress reports

# ---------------------------------------------------------------------------------------------------------
# Seed 002 附件2 (《技能人才分类评价实施细则》 附件2 支持工程技术领域高技能人才与专业技术人才职业贯通发展):
# the rules of eligibility/titles.py. Titles by their names as the notice writes them.
ASSISTANT_ENGINEER = "助理工程师"
ENGINEER = "工程师"
SENIOR_ENGINEER = "高级工程师"
ENGINEER_TITLES = (ASSISTANT_ENGINEER, ENGINEER, SENIOR_ENGINEER)  # 附件2 三(二)1, lowest first
ENGINEER_TITLE_GRADE = {ASSISTANT_ENGINEER: "junior", ENGINEER: "intermediate", SENIOR_ENGINEER: "senior"}

# 附件2 二(二)1 基本条件: 具有高级工以上职业资格或职业技能等级 (level 3 or higher: number <= 3)
TITLE_ROUTE_MIN_LEVEL = 3
# 附件2 二(二)1: 在现工作岗位上近3年年度考核合格 (3 annual appraisals passed, all on the current post)
TITLE_APPRAISAL_YEARS = 3
# 附件2 二(二)1: 获得高级工…后从事技术技能工作满2年，可聘任为技术员或助理工程师
L3_TO_ASSISTANT_ENGINEER_YEARS = 2
# 附件2 二(二)1: 获得技师…后从事技术技能工作满3年，可申报评审相应专业工程师
L2_TO_ENGINEER_YEARS = 3
# 附件2 二(二)1: 获得高级技师…后从事技术技能工作满4年，可申报评审相应专业高级工程师
L1_TO_SENIOR_ENGINEER_YEARS = 4
# level held -> (the title it opens, the full years of technical-skill work needed since obtaining it)
SKILL_TO_TITLE = {
    3: (ASSISTANT_ENGINEER, L3_TO_ASSISTANT_ENGINEER_YEARS),
    2: (ENGINEER, L2_TO_ENGINEER_YEARS),
    1: (SENIOR_ENGINEER, L1_TO_SENIOR_ENGINEER_YEARS),
}
# 附件2 二(三): 聘任初级职称按照《天津市用人单位聘任初级职称办法（试行）》（津人社局发〔2018〕31号）: the employer
# appoints (no review)
JUNIOR_TITLE_APPOINTMENT_RULE = "津人社局发〔2018〕31号"

# 附件2 二(二)3 破格: the four honours that lead directly to 高级工程师 (可破格评审认定高级工程师)
DIRECT_SENIOR_ENGINEER_AWARDS = frozenset(
    {"中华技能大奖", "全国技术能手", "国家级技能大师工作室带头人", "海河工匠"}
)
# 附件2 二(二)3 破格: the other 高技能领军人才 honours (可破格参评相应技术职称 with a staff decision); staff extend
# the list with settings.ELIGIBILITY_LEADING_TALENT_HONOURS (eligibility.titles.assess(extra_honours=...))
LEADING_TALENT_HONOURS = ("市级技术能手", "市级技能大师工作室带头人")
AWARDS = (*sorted(DIRECT_SENIOR_ENGINEER_AWARDS), *LEADING_TALENT_HONOURS)

# 附件2 三(二)3 破格: 获得市级一类职业技能竞赛前6名、二类职业技能竞赛前3名 -> 高级技师
COMPETITION_CITY_CLASS_1 = "市级一类"
COMPETITION_CLASS_2 = "二类"
COMPETITION_CITY_CLASS_1_TOP = 6  # 附件2 三(二)3: 市级一类职业技能竞赛前6名
COMPETITION_CLASS_2_TOP = 3  # 附件2 三(二)3: 二类职业技能竞赛前3名
COMPETITION_TOP = {
    COMPETITION_CITY_CLASS_1: COMPETITION_CITY_CLASS_1_TOP,
    COMPETITION_CLASS_2: COMPETITION_CLASS_2_TOP,
}
# 附件2 三(二)3: 工程技术领域工程师、高级工程师 (a 助理工程师 gets no 破格) -> 可破格认定高级技师 (level 1)
COMPETITION_TITLES = (ENGINEER, SENIOR_ENGINEER)
COMPETITION_LEVEL = 1
