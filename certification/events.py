"""The named audit events of certification (Open Forms style: one name per thing that happened)."""

from django.utils.translation import gettext_lazy as _

from portal import audit

audit.register(
    certification_plan_created=_("创建认定方案"),
    certification_plan_submitted=_("报送认定方案"),
    certification_plan_returned=_("退回认定方案"),
    certification_plan_approved=_("认定方案审查通过"),
    certification_plan_started=_("认定开始实施"),
    certification_roster_uploaded=_("上传考生名册"),
    certification_candidate_overridden=_("人工确认不符合条件的考生"),
    certification_scores_uploaded=_("录入认定成绩"),
    certification_review_materials_received=_("登记收到综合评审申报材料"),
    certification_review_drawn=_("抽取综合评审专家"),
    certification_review_recorded=_("记录综合评审结果"),
    certification_review_ticked=_("评审专家勾选评审结果"),
    certification_results_reported=_("上报认定结果"),
    certification_results_returned=_("退回认定结果"),
    certification_results_verified=_("认定结果核对无误"),
    certification_results_uploaded=_("认定合格信息已上传部鉴定中心"),
    certification_clock_overdue=_("认定时限超期提醒"),
    certification_issue_started=_("签发证书"),
    certification_photo_added_after_verification=_("认定结果核对后补充考生照片"),
    certification_photo_zip_uploaded=_("批量上传考生照片（压缩包）"),
    certification_monthly_summary_submitted=_("报送认定结果月度汇总表"),
    certification_session_created=_("安排考场"),
    certification_seats_allocated=_("分配考生座位"),
    certification_seat_moved=_("调整考生考场"),
)

audit.register(
    certification_session_checks_drawn=_("抽取考场现场督导"),
)

audit.register(
    certification_attendance_marked=_("登记考生签到"),
)

audit.register(
    certification_session_updated=_("修改考场安排"),
    certification_session_deleted=_("删除考场安排"),
)
