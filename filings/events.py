"""The named audit events of the filing workflow (Open Forms style: one name per thing that happened)."""

from django.utils.translation import gettext_lazy as _

from portal import audit

audit.register(
    filing_created=_("创建备案申请草稿"),
    filing_saved=_("保存备案申请"),
    filing_submitted=_("提交备案申请"),
    application_round_published=_("发布评价机构申报工作安排"),
    filing_published_by_ministry=_("记录部评价机构公示查询系统公布情况"),
    filing_returned=_("退回补正"),
    filing_rejected=_("不予受理"),
    filing_assigned=_("分配经办人"),
    evaluation_started=_("初审通过，进入专家评估"),
    experts_drawn=_("随机抽取评估专家"),
    expert_scored=_("专家提交评估意见"),
    evaluation_concluded=_("中心提出评估意见，报市人社局审核"),
    bureau_approved=_("市人社局审核通过"),
    publicity_started=_("开始公示"),
    objection_raised=_("收到公示异议"),
    objection_dismissed=_("异议不成立"),
    objection_upheld=_("异议成立"),
    publicity_closed=_("公示期满无异议"),
    filing_recorded=_("准予备案"),
    filing_expired=_("备案有效期届满"),
    filing_cancelled=_("注销备案"),
    filing_revoked=_("撤销备案"),
    review_overdue=_("初审超过办理期限"),
    school_record_table_exported=_("导出技工院校职业技能等级认定申请备案表"),
)

# -- Filings II (issue 5): life after filing ---------------------------------------------------------
audit.register(
    change_requested=_("提交备案变更申请"),
    change_evaluation_started=_("变更申请进入专家评估"),
    change_scored=_("专家提交变更评估意见"),
    change_evaluated=_("变更申请评估完成，报市人社局审核"),
    change_approved=_("变更申请审核通过"),
    change_applied=_("备案信息已变更"),
    change_rejected=_("不予变更"),
    change_lapsed=_("备案已注销或撤销，变更申请终止"),
    renewal_requested=_("提交备案续期申请"),
    renewal_approved=_("准予续期备案"),
    renewal_refused=_("不予续期备案"),
    renewal_lapsed=_("备案已注销或撤销，续期申请失效"),
    renewal_reminded=_("发送续期提醒"),
    termination_requested=_("申请自愿终止评价工作"),
    termination_confirmed=_("确认自愿终止申请"),
    filing_cancelled_at_expiry=_("备案期满未续期，注销备案"),
    sanction_imposed=_("作出处理措施"),
    rectification_completed=_("整改完成"),
    rectification_overdue=_("整改逾期未完成"),
    institution_blacklisted=_("纳入黑名单"),
    blacklist_lifted=_("移出黑名单"),
    complaint_received=_("收到投诉举报"),
    complaint_investigation_started=_("开始调查核实投诉举报"),
    complaint_closed=_("投诉举报办结"),
    inspection_recorded=_("登记督导检查"),
    inspection_drawn=_("双随机抽取检查对象和人员"),
    inspection_published=_("公开督导检查结果"),
    case_referred=_("移交有关部门"),
    referral_concluded=_("登记移交处理结果"),
)

# -- seals (issue 39 item 2) -----------------------------------------------------------------------------
audit.register(
    seal_change_requested=_("申请变更证书印章"),
    seal_change_approved=_("印章变更审核通过"),
    seal_change_refused=_("印章变更不予启用"),
    office_seal_installed=_("设置机关印章"),
)
