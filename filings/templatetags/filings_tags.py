"""Template tags of the filings app: what the portal's landing page shows of filings."""

from django import template

from .. import after_filing

register = template.Library()


@register.simple_tag
def bureau_waiting():
    """What waits for the bureau's decision: [{"key", "label", "count", "url"}, ...]."""
    return after_filing.bureau_waiting()
