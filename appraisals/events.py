"""The named audit events of the enterprise 职业技能鉴定 (seed 002 附件1; Open Forms style)."""

from django.utils.translation import gettext_lazy as _

from portal import audit

audit.register(
    appraisal_created=_("创建职业技能鉴定申请"),
    appraisal_changed=_("修改职业技能鉴定申请"),
    appraisal_roster_imported=_("导入职业技能鉴定考生名册"),
    appraisal_submitted=_("申报职业技能鉴定"),
    appraisal_returned=_("退回职业技能鉴定申请补正"),
    appraisal_rejected=_("职业技能鉴定申请审核不予通过"),
    appraisal_filed=_("审核通过，企业和考生信息入网备案"),
    appraisal_adjustment_answered=_("答复调整试题申请"),
    appraisal_questions_recorded=_("记录考试命题"),
    appraisal_supervisors_dispatched=_("派遣质量督导员，考务已安排"),
    appraisal_scores_entered=_("录入职业技能鉴定成绩"),
    appraisal_scores_imported=_("导入职业技能鉴定成绩单"),
    appraisal_scores_publicised=_("职业技能鉴定成绩公示"),
    appraisal_objection_raised=_("成绩公示期间收到异议"),
    appraisal_objection_dismissed=_("成绩公示异议不成立"),
    appraisal_objection_upheld=_("成绩公示异议成立，退回重新认定成绩"),
    appraisal_scores_reopened=_("成绩退回重新认定"),
    appraisal_scores_reported=_("成绩公示无异议，上报市鉴定中心"),
    appraisal_review_drawn=_("抽取综合评审专家组"),
    appraisal_review_recorded=_("记录综合评审结果"),
)
