"""The named audit events of the title application (Open Forms style: one name per thing that happened)."""

from django.utils.translation import gettext_lazy as _

from portal import audit

audit.register(
    title_application_created=_("创建职称申请"),
    title_application_changed=_("修改职称申请"),
    title_achievement_added=_("添加工作业绩及证明材料"),
    title_application_submitted=_("申报职称，待单位推荐"),
    title_application_filed_direct=_("直接向中天人力申报职称"),
    title_application_recommended=_("用人单位推荐至业务主管部门"),
    title_application_returned_by_employer=_("用人单位退回职称申请"),
    title_application_approved=_("审核通过，报送职称评审机构"),
    title_application_returned=_("退回职称申请补正"),
    title_application_rejected=_("职称申请审核不予通过"),
    title_review_passed=_("职称评审通过"),
    title_review_failed=_("职称评审未通过"),
    title_review_recognised=_("破格认定职称"),
    title_appointed=_("用人单位聘任初级职称"),
    # Part 2: 专业技术人才参加职业技能评价 (附件2 三, 四(二))
    skill_application_created=_("创建职业技能评价申请"),
    skill_application_changed=_("修改职业技能评价申请"),
    skill_title_copy_attached=_("上传专业技术职务任职资格证复印件"),
    skill_application_submitted=_("申报职业技能评价，待受理"),
    skill_application_accepted=_("受理职业技能评价申请"),
    skill_application_returned=_("退回职业技能评价申请补正"),
    skill_application_rejected=_("职业技能评价申请不予受理"),
)
