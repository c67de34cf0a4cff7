"""The named audit events of certificates (Open Forms style: one name per thing that happened)."""

from django.utils.translation import gettext_lazy as _

from portal import audit

audit.register(
    certificate_batch_created=_("创建证书签发批次"),
    certificate_batch_resumed=_("继续证书签发批次"),
    certificate_batch_finished=_("证书签发批次完成"),
    certificate_issued=_("签发职业技能等级证书"),
    certificate_qualification_issued=_("核发职业资格证书"),
    # the 鉴定's step (appraisals machine: reported -> issued), fired by certificates.qualification
    appraisal_certificates_issued=_("市人社局核发职业资格证书"),
    certificate_revoked=_("撤销职业技能等级证书"),
    certificates_exported=_("导出证书数据"),
    certificate_documents_linked=_("关联同一人的证件"),
    certificate_documents_unlinked=_("解除同一人的证件关联"),
)
