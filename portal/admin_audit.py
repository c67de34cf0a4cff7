"""Changes made in the Django admin reach the portal's audit trail (issue 22, finding 6).

Django's admin writes only its own LogEntry, which no timeline shows. :func:`install` (run from
``PortalConfig.ready``) gives every ModelAdmin registered for a domain model (the apps of
:data:`AUDITED_APPS`; the trail itself excepted) the :class:`AuditedAdminMixin`, generically over the
admin site's registry, so portal imports none of the apps above it and an app adds no code of its own.

The mixin hooks the three points every admin add, change and delete goes through (the change form,
the change list's editable columns, the delete page and the bulk delete action):
``construct_change_message`` sees the form and its inline formsets after saving, while ``form.initial``
still holds the values of before: it notes the changed fields as old -> new; ``log_addition`` and
``log_change`` then record ``admin_added`` / ``admin_changed`` on the object; ``log_deletions``, called
before the rows go, records ``admin_deleted`` with the object's repr and values. Resident ID numbers
are masked (portal.identifiers), passwords never recorded. The rows are internal (staff timelines).
"""

import datetime
import re

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import audit
from .identifiers import mask_id_number, validate_id_number

# The domain apps (portal <- eligibility <- filings <- certification <- appraisals <- certificates
# <- talent).
AUDITED_APPS = (
    "portal",
    "eligibility",
    "filings",
    "certification",
    "appraisals",
    "certificates",
    "talent",
)
# The audit trail itself: append-only, nobody writes it in the admin.
NOT_AUDITED = ("portal.auditevent",)


# The changes of one admin request, noted by construct_change_message, read by log_addition/log_change.
PENDING_ATTRIBUTE = "portal_admin_audit_changes"
ID_NUMBER_PATTERN = re.compile(r"(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])")


def is_audited(model) -> bool:
    return model._meta.app_label in AUDITED_APPS and model._meta.label_lower not in NOT_AUDITED


class AuditedAdminMixin:
    """Records the admin's additions, changes and deletions in the audit trail (see the module)."""

    def construct_change_message(self, request, form, formsets, add=False):
        message = super().construct_change_message(request, form, formsets, add)
        pending = getattr(request, PENDING_ATTRIBUTE, None)
        if pending is None:
            pending = {}
            setattr(request, PENDING_ATTRIBUTE, pending)
        # A model form has its instance; the admin's password form (auth's UserAdmin) its user.
        target = getattr(form, "instance", None) or getattr(form, "user", None)
        pending[_key(target)] = (field_changes(form, add=add), inline_changes(formsets))
        return message

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        _record_saved("admin_added", request, obj, message)
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        _record_saved("admin_changed", request, obj, message)
        return entry

    def log_deletions(self, request, queryset):
        objects = list(queryset)
        entries = super().log_deletions(request, objects)
        for obj in objects:
            with translation.override(None):
                name = str(obj._meta.verbose_name)
                text = masked(str(obj))
                comment = _("%(model)s「%(object)s」") % {"model": name, "object": text}
            _record("admin_deleted", request, obj, text, comment, values=snapshot(obj))
        return entries


def install(site=None) -> list[str]:
    """Gives every audited ModelAdmin of ``site`` (the default admin site) the mixin; returns the models
    it wrapped. Runs the admin's autodiscovery first (idempotent: Django's own call later finds every
    admin module imported), since portal's AppConfig is ready before django.contrib.admin's."""
    site = site if site is not None else admin.site
    admin.autodiscover()
    wrapped = []
    for model, model_admin in list(site._registry.items()):
        if not is_audited(model) or isinstance(model_admin, AuditedAdminMixin):
            continue
        cls = type(model_admin)
        audited = type(
            cls.__name__, (AuditedAdminMixin, cls), {"__module__": cls.__module__, "__doc__": cls.__doc__}
        )
        site.unregister(model)
        site.register(model, audited)
        wrapped.append(model._meta.label_lower)
    return wrapped


# -- what is recorded ---------------------------------------------------------------------------------


def field_changes(form, *, add=False) -> dict[str, dict]:
    """{field name: {"label", "old", "new"}} for the form's changed fields, as text; an addition has no
    old values."""
    changes = {}
    with translation.override(None):
        for name in form.changed_data:
            field = form.fields.get(name)
            if field is None:
                continue
            if is_secret(name, field):
                old, new = ("" if add else _("（已隐藏）")), _("（已隐藏）")
            else:
                old = "" if add else display(field, form.get_initial_for_field(field, name), name=name)
                new = display(field, form.cleaned_data.get(name), name=name)
                if not add and old == new:
                    continue  # reported as changed by the form, the same as shown (seconds, list order)
            changes[name] = {"label": str(field.label or name), "old": old, "new": new}
    return changes


def inline_changes(formsets) -> list[dict]:
    """The inline objects the same save added, changed or deleted, with their changed fields."""
    rows = []
    with translation.override(None):
        for formset in formsets or ():
            forms_by_instance = {id(f.instance): f for f in formset.forms}
            for obj in formset.new_objects:
                form = forms_by_instance.get(id(obj))
                rows.append(_inline_row("added", obj, field_changes(form, add=True) if form else {}))
            for obj, _fields in formset.changed_objects:
                form = forms_by_instance.get(id(obj))
                rows.append(_inline_row("changed", obj, field_changes(form) if form else {}))
            for obj in formset.deleted_objects:
                rows.append(_inline_row("deleted", obj, {}))
    return rows


def _inline_row(action, obj, fields):
    return {
        "action": action,
        "model": str(obj._meta.verbose_name),
        "object": masked(str(obj)),
        "fields": fields,
    }


def snapshot(obj) -> dict[str, str]:
    """The concrete field values of an object about to be deleted, as text (passwords left out)."""
    values = {}
    for field in obj._meta.concrete_fields:
        if "password" in field.name:
            continue
        text = field.value_to_string(obj)
        values[field.name] = mask_id_number(text) if text and "id_number" in field.name else masked(text)
    return values


def is_secret(name, field) -> bool:
    return "password" in name or isinstance(field.widget, forms.PasswordInput)


def display(field, value, *, name="") -> str:
    """A form value as the admin shows it: the object for a key, the label for a choice."""
    if value is None or value == "" or value == [] or value == ():
        return ""
    if isinstance(field, forms.ModelMultipleChoiceField) or isinstance(value, (list, tuple, models.QuerySet)):
        return "、".join(display(field, item, name=name) for item in value)
    if isinstance(field, forms.ModelChoiceField) and not isinstance(value, models.Model):
        try:
            value = field.to_python(value)
        except ValidationError:
            pass
    if isinstance(value, models.Model):
        return masked(str(value))
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, datetime.datetime):
        return (
            timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")
            if timezone.is_aware(value)
            else f"{value}"
        )
    choices = getattr(field, "choices", None)
    if choices and not isinstance(field, forms.ModelChoiceField):
        labels = {str(key): label for key, label in _flat(choices)}
        value = labels.get(str(value), value)
    if hasattr(value, "name") and not isinstance(value, str):  # a file
        value = value.name
    text = str(value)
    return mask_id_number(text) if "id_number" in name else masked(text)


def _flat(choices):
    for key, label in choices:
        if isinstance(label, (list, tuple)):
            yield from _flat(label)
        else:
            yield key, label


def masked(text: str) -> str:
    """Masks every valid resident ID number in ``text`` (first 6 and last 4 characters kept)."""

    def mask(match):
        try:
            validate_id_number(match.group(0))
        except ValidationError:
            return match.group(0)
        return mask_id_number(match.group(0))

    return ID_NUMBER_PATTERN.sub(mask, text or "")


def _key(obj):
    return (obj._meta.label_lower, str(obj.pk)) if isinstance(obj, models.Model) else None


def _record_saved(event, request, obj, message):
    pending = getattr(request, PENDING_ATTRIBUTE, {})
    fields, inlines = pending.pop(_key(obj), None) or pending.pop(None, ({}, []))
    with translation.override(None):
        text = masked(str(obj))
        comment = describe(str(obj._meta.verbose_name), text, fields, inlines, added=event == "admin_added")
    _record(event, request, obj, text, comment, fields=fields, inlines=inlines)


def _record(event, request, obj, text, comment, **data):
    """An admin change on the object's trail, internal (staff only), naming the model and the object."""
    audit.record(
        event,
        obj,
        request.user,
        comment=comment,
        internal=True,
        model=obj._meta.label_lower,
        object=text,
        **data,
    )


def describe(model_name, text, fields, inlines, *, added=False) -> str:
    """One line for the timelines: 考评人员配比「中式烹调师」：最少考评员：3 → 4；…"""
    empty = _("（空）")

    def one(change, added):
        if added:
            return f"{change['label']}：{change['new'] or empty}"
        return f"{change['label']}：{change['old'] or empty} → {change['new'] or empty}"

    parts = [one(change, added) for change in fields.values()]
    actions = {"added": _("新增"), "changed": _("修改"), "deleted": _("删除")}
    for row in inlines:
        line = f"{actions[row['action']]}{row['model']}「{row['object']}」"
        if row["fields"]:
            line += "（" + "，".join(one(c, row["action"] == "added") for c in row["fields"].values()) + "）"
        parts.append(line)
    if not parts and not added:
        parts.append(_("未修改任何字段"))
    head = _("%(model)s「%(object)s」") % {"model": model_name, "object": text}
    return head + ("：" + "；".join(parts) if parts else "")
