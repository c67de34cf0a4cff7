"""The roles of the title application (seed 002 附件2 二(三)), as Django groups: created by this app's
migration 0002_roles and registered with portal.roles, so ``roles.has_role`` and the groups recreated
after a flush know them. A user of the recommending employer, of the 业务主管部门 and of the 职称评审机构
belongs to that body's ``portal.Institution`` (``user.institution``); 中天人力 is one body for the
whole city, its users need none."""

from django.utils.translation import gettext_lazy as _

from portal import roles

RECOMMENDER = "title_recommender"  # 用人单位（推荐单位）
DEPARTMENT = "title_department"  # 业务主管部门
ZHONGTIAN = "title_zhongtian"  # 中天人力（中国（天津）人力资源开发服务中心）
REVIEW_BODY = "title_review_body"  # 职称评审机构

LABELS = {
    RECOMMENDER: _("推荐单位"),
    DEPARTMENT: _("业务主管部门"),
    ZHONGTIAN: _("中天人力"),
    REVIEW_BODY: _("职称评审机构"),
}

roles.register(**LABELS)
