from django import template

from portal.identifiers import mask_id_number

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs):
    """The current query string with some parameters replaced: keeps filters across pages."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        query[key] = value
    return query.urlencode()


@register.filter
def masked_id(value):
    return mask_id_number(value or "")


@register.simple_tag(takes_context=True)
def navbar(context):
    """The navigation bar (portal/navbar.py: rendered once per kind of visitor, filled in per request)."""
    from portal import navbar as bar

    return bar.render(context)
