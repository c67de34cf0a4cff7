"""The five skill levels by their names, in one place: what every page, PDF and export shows for a level
code (never the bare digit, issue 29 item 8)."""

from django.utils.translation import gettext_lazy as _

# seed 001 第六条 / seed 004 附件5 六: the level code and the name printed on the certificate.
LEVEL_NAMES = {
    1: _("一级/高级技师"),
    2: _("二级/技师"),
    3: _("三级/高级工"),
    4: _("四级/中级工"),
    5: _("五级/初级工"),
}
LEVEL_CHOICES = list(LEVEL_NAMES.items())


def level_name(level) -> str:
    """``5`` or ``"5"`` -> 五级/初级工; anything else is shown as written (an empty cell stays empty)."""
    try:
        return str(LEVEL_NAMES[int(level)])
    except (KeyError, TypeError, ValueError):
        return "" if level is None else str(level)


def levels_text(levels) -> str:
    """Levels kept as digits ("45") or a list ([4, 5]) -> 四级/中级工、五级/初级工 (highest first)."""
    codes = sorted({int(c) for c in str(levels) if c.isdigit()} if isinstance(levels, str) else set(levels))
    return "、".join(level_name(code) for code in codes)
