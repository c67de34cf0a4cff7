"""The named audit events of the filing workflow (Open Forms style: one name per thing that happened)."""

from django.utils.translation import gettext_lazy as _

from portal import audit

audit.register(
    filing_created=_("创建备案申请草稿"),
    filing_saved=_("保存备案申请"),
    filing_submitted=_("提交备案申请"),
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
)
