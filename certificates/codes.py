"""The 22-character certificate code of seed 004 附件5 (national rule 人社鉴发〔2019〕2号).

    S 0000 12 011001 26 3 000001
    | |    |  |      |  | `- serial, per institution, per year, per level: 000001-999999 (附件5 七)
    | |    |  |      |  `--- level 1-5 (附件5 六)
    | |    |  |      `------ year of issue, last two digits (附件5 五)
    | |    |  `------------- institution (or site) sequence, laid out by the province (附件5 四)
    | |    `---------------- province, GB/T 2260 (附件5 三)
    | `--------------------- filing route: 0000 = filed with the province first, else 0001-9999 (附件5 二)
    `----------------------- Y employer / S social training evaluation organisation (附件5 一)

There is no check character: parsing validates the format and the ranges, and names the bad part.

The bureau's 职业资格证书 (seed 002 附件1 四(六)) has the portal's own rule in the same shape (constants.py,
certificates/README.md "The 职业资格证书 number"): letter Z, route 0000, province 12, institution 000000,
then year, level and serial as above.
"""

import re
from dataclasses import dataclass

from .constants import (
    CODE_LENGTH,
    INSTITUTION_DIGITS,
    KINDS,
    LEVEL_MAX,
    LEVEL_MIN,
    PROVINCE_DIGITS,
    QUALIFICATION_INSTITUTION,
    QUALIFICATION_LETTER,
    QUALIFICATION_PROVINCE,
    QUALIFICATION_ROUTE,
    ROUTE_DIGITS,
    SERIAL_MAX,
    SERIAL_MIN,
)

# GB/T 2260 province-level division codes (first two digits of the administrative division code).
# seed 004 附件5 三 names Liaoning = 21; DOMAIN.md names Beijing 11, Tianjin 12, Heilongjiang 23.
GB_T_2260_PROVINCES = {
    "11": "北京市",
    "12": "天津市",
    "13": "河北省",
    "14": "山西省",
    "15": "内蒙古自治区",
    "21": "辽宁省",
    "22": "吉林省",
    "23": "黑龙江省",
    "31": "上海市",
    "32": "江苏省",
    "33": "浙江省",
    "34": "安徽省",
    "35": "福建省",
    "36": "江西省",
    "37": "山东省",
    "41": "河南省",
    "42": "湖北省",
    "43": "湖南省",
    "44": "广东省",
    "45": "广西壮族自治区",
    "46": "海南省",
    "50": "重庆市",
    "51": "四川省",
    "52": "贵州省",
    "53": "云南省",
    "54": "西藏自治区",
    "61": "陕西省",
    "62": "甘肃省",
    "63": "青海省",
    "64": "宁夏回族自治区",
    "65": "新疆维吾尔自治区",
    "71": "台湾省",
    "81": "香港特别行政区",
    "82": "澳门特别行政区",
}

_DIGITS = re.compile(r"^[0-9]+$")  # ASCII digits only (str.isdigit accepts full-width and others)


@dataclass(frozen=True)
class CertificateCode:
    kind: str
    route: str
    province: str
    institution: str
    year: int  # the full year, e.g. 2026; the code keeps its last two digits
    level: int
    serial: int

    def __post_init__(self):
        _check_prefix(self.kind, self.route, self.province, self.institution)
        if not isinstance(self.year, int) or not 2000 <= self.year <= 2099:
            raise ValueError(f"year: {self.year!r} is not a year of this century (2000-2099)")
        if not isinstance(self.level, int) or not LEVEL_MIN <= self.level <= LEVEL_MAX:
            raise ValueError(f"level: {self.level!r} is not a level {LEVEL_MIN}-{LEVEL_MAX}")
        if not isinstance(self.serial, int) or not SERIAL_MIN <= self.serial <= SERIAL_MAX:
            raise ValueError(f"serial: {self.serial!r} is outside {SERIAL_MIN:06d}-{SERIAL_MAX:06d}")

    def __str__(self):
        return (
            f"{self.kind}{self.route}{self.province}{self.institution}"
            f"{self.year % 100:02d}{self.level}{self.serial:06d}"
        )

    @property
    def prefix(self) -> tuple[str, str, str, str]:
        """(kind, route, province, institution): who issues, the part a serial counter runs under."""
        return (self.kind, self.route, self.province, self.institution)

    @property
    def is_qualification(self) -> bool:
        """A 职业资格证书's number (the bureau's own rule), not a 等级证书's."""
        return self.kind == QUALIFICATION_LETTER


# The bureau's part of a 职业资格证书 number: fixed, one counter row per year and level.
QUALIFICATION_PREFIX = (
    QUALIFICATION_LETTER,
    QUALIFICATION_ROUTE,
    QUALIFICATION_PROVINCE,
    QUALIFICATION_INSTITUTION,
)


def _check_kind(kind) -> None:
    if kind not in KINDS and kind != QUALIFICATION_LETTER:
        raise ValueError(
            f"kind: {kind!r} is not Y (employer), S (social organisation) or Z (职业资格证书), upper case"
        )


def _check_prefix(kind, route, province, institution) -> None:
    _check_kind(kind)
    if kind == QUALIFICATION_LETTER:
        if (kind, route, province, institution) != QUALIFICATION_PREFIX:
            raise ValueError(
                f"prefix: a 职业资格证书 number starts {''.join(QUALIFICATION_PREFIX)}, "
                f"got {kind}{route}{province}{institution}"
            )
        return
    for part, value, digits in (
        ("route", route, ROUTE_DIGITS),
        ("province", province, PROVINCE_DIGITS),
        ("institution", institution, INSTITUTION_DIGITS),
    ):
        if not isinstance(value, str) or len(value) != digits or not _DIGITS.match(value):
            raise ValueError(f"{part}: {value!r} is not {digits} digits")
    if province not in GB_T_2260_PROVINCES:
        raise ValueError(f"province: {province!r} is not a GB/T 2260 province code")


def check_prefix(prefix: tuple[str, str, str, str]) -> tuple[str, str, str, str]:
    """Validates an issuing institution's (kind, route, province, institution) and returns it."""
    if not isinstance(prefix, tuple | list) or len(prefix) != 4:
        raise ValueError(f"prefix: {prefix!r} is not (kind, route, province, institution)")
    _check_prefix(*prefix)
    return tuple(prefix)


def parse_code(text: str) -> CertificateCode:
    """Reads a 22-character code; raises ValueError naming the bad part."""
    if not isinstance(text, str):
        raise ValueError(f"code: {text!r} is not text")
    if len(text) != CODE_LENGTH:
        raise ValueError(f"length: {len(text)} characters, a certificate code has {CODE_LENGTH}")
    kind, digits = text[0], text[1:]
    _check_kind(kind)
    if not _DIGITS.match(digits):
        raise ValueError(f"digits: characters 2-22 must be digits, got {digits!r}")
    route, province, institution = digits[0:4], digits[4:6], digits[6:12]
    year, level, serial = digits[12:14], digits[14], digits[15:21]
    level_n, serial_n = int(level), int(serial)
    if not LEVEL_MIN <= level_n <= LEVEL_MAX:
        raise ValueError(f"level: {level!r} is not a level {LEVEL_MIN}-{LEVEL_MAX}")
    if not SERIAL_MIN <= serial_n <= SERIAL_MAX:
        raise ValueError(f"serial: {serial!r} is outside {SERIAL_MIN:06d}-{SERIAL_MAX:06d}")
    return CertificateCode(
        kind=kind,
        route=route,
        province=province,
        institution=institution,
        year=2000 + int(year),
        level=level_n,
        serial=serial_n,
    )
