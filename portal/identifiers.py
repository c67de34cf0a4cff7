"""Validation and display of national identifiers, on top of python-stdnum.

- Unified social credit code (统一社会信用代码, GB 32100): ``stdnum.cn.uscc``.
- Resident ID number (居民身份证号码, GB 11643): ``stdnum.cn.ric``.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric, uscc


def normalize_credit_code(value: str) -> str:
    return uscc.compact(value or "").upper()


def validate_credit_code(value: str) -> None:
    try:
        uscc.validate(normalize_credit_code(value))
    except stdnum_errors.InvalidLength:
        raise ValidationError(_("统一社会信用代码应为 18 位。"), code="credit_code_length") from None
    except stdnum_errors.InvalidChecksum:
        raise ValidationError(
            _("统一社会信用代码校验位不正确，请核对后重新输入。"), code="credit_code_checksum"
        ) from None
    except stdnum_errors.ValidationError:
        raise ValidationError(
            _("统一社会信用代码格式不正确（只能包含数字和除 I、O、Z、S、V 以外的大写字母）。"),
            code="credit_code_format",
        ) from None


def normalize_id_number(value: str) -> str:
    return ric.compact(value or "").upper()


def validate_id_number(value: str) -> None:
    try:
        ric.validate(normalize_id_number(value))
    except stdnum_errors.InvalidLength:
        raise ValidationError(_("居民身份证号码应为 18 位。"), code="id_length") from None
    except stdnum_errors.InvalidChecksum:
        raise ValidationError(_("居民身份证号码校验位不正确。"), code="id_checksum") from None
    except stdnum_errors.ValidationError:
        raise ValidationError(
            _("居民身份证号码格式不正确（地区码或出生日期无效）。"), code="id_format"
        ) from None


def mask_id_number(value: str) -> str:
    """Public pages show only the first 6 and the last 4 characters of a resident ID number."""
    value = normalize_id_number(value)
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]
