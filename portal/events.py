"""The named audit events of portal itself (accounts, the working-day calendar, admin changes, a failed
mail sent again). Each app names its own in its events.py, imported in its AppConfig.ready (Open Forms'
logevent: one place)."""

from django.utils.translation import gettext_lazy as _

from . import audit

audit.register(
    account_registered=_("申报单位注册账户"),
    calendar_day_saved=_("工作日历条目已保存"),
    calendar_imported=_("导入节假日安排通知"),
    calendar_year_declared=_("确认年度工作日历完整"),
    calendar_year_withdrawn=_("撤销年度工作日历完整确认"),
    admin_added=_("管理后台新增"),
    admin_changed=_("管理后台修改"),
    admin_deleted=_("管理后台删除"),
    mail_resent=_("重新发送邮件"),
)
