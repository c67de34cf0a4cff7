from django import template
from django.forms import CheckboxSelectMultiple, RadioSelect
from django.utils.html import format_html

from portal import levels, notices, workdays
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
def labelled(field):
    """A bound field's widget named by its label (``aria-label``), for a control whose label is shown only
    by its table column's header (a formset's cells; issue 40): a screen reader reads the name too."""
    if not hasattr(field, "as_widget"):  # no such field (a formset without DELETE): nothing, as before
        return field
    if isinstance(field.field.widget, RadioSelect | CheckboxSelectMultiple):
        # One box per choice, each named by its own <label> (an aria-label on each would name all five
        # level boxes 申请级别): the group carries the field's label.
        return format_html('<div role="group" aria-label="{}">{}</div>', field.label, field.as_widget())
    return field.as_widget(attrs={"aria-label": str(field.label)})


@register.filter
def masked_id(value):
    return mask_id_number(value or "")


@register.filter
def level_name(value):
    """A level code as its name: 5 -> 五级/初级工 (portal/levels.py)."""
    return levels.level_name(value)


@register.inclusion_tag("portal/_elapsed.html")
def elapsed(since, on=None):
    """The working days a step without a time limit has taken: 已 3 个工作日 (portal.workdays.elapsed_since)."""
    return {"elapsed": workdays.elapsed_since(since, on) if since else None}


@register.filter
def clause(name):
    """A clause registered by name in an app's constants (portal.notices.register_clauses), as users read
    it: ``{{ "plan_lead"|clause }}``."""
    return notices.clause(str(name))


@register.filter
def cite(value):
    """A citation in the short form of the code ("seed 001 第十六条(一)") as users read it: the notice's
    own title and number (portal/notices.py). Also for text stored before the table (reasons, comments):
    a short form the table does not know is shown as written rather than failing the page."""
    return notices.cite(str(value or ""), strict=False)


@register.simple_tag(takes_context=True)
def navbar(context):
    """The navigation bar (portal/navbar.py: rendered once per kind of visitor, filled in per request)."""
    from portal import navbar as bar

    return bar.render(context)
