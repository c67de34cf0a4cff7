"""The one engine of every state change in the portal (filings, changes, renewals, terminations,
assessment plans and every later procedure).

A procedure's model declares its states with django-fsm ``@transition`` methods (who may fire each:
``permission=``) and says how it is locked; its service module calls :func:`fire` with a :class:`Step`.
In one transaction ``fire``:

1. locks: ``transition_lock = "version"`` (the model's version column, django-fsm's
   ``ConcurrentTransitionMixin``; a page may pass the version it showed) or ``"row"`` (SELECT ... FOR
   UPDATE, and the state must still be the one the caller loaded);
2. checks the state (``can_proceed``) and the actor (``has_transition_perm``), one message each;
3. fires the transition, lets the caller set fields (``before_save``), saves;
4. appends the step's named audit event (from and to state) to the object's trail;
5. runs ``after(obj, audit_row)`` for the notices, which queue their mail through portal.outbox, so
   mail, PDFs and tasks leave only after commit.

A refused or failed step leaves the caller's instance as it is in the database.

A model sets ``state_refusal`` (a message with ``%(state)s``) and ``stale_message`` in its own words."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, can_proceed, get_available_FIELD_transitions, has_transition_perm

from . import audit, roles
from .errors import NotPermitted, Stale, permission_message


@dataclass(frozen=True)
class Step:
    name: str  # the transition method of the model
    event: str  # the audit event it appends
    notice: str = ""  # the text told to the people concerned ("" = nobody is told)


def stale(obj) -> Stale:
    """The refusal of a lost race, in the model's words."""
    return Stale(str(getattr(obj, "stale_message", "") or _("该记录已被他人修改，请刷新后重试。")))


def check_version(obj, expected_version) -> None:
    """A page that showed version N may change the object only while it is still at N."""
    if expected_version is not None and int(expected_version) != obj.version:
        raise stale(obj)


def save(obj, **kwargs) -> None:
    """Saves an object of a django-fsm model (ConcurrentTransitionMixin: the UPDATE names the state it
    was loaded in, and a version too where the model keeps one); a lost race is refused in the model's
    words."""
    try:
        obj.save(**kwargs)
    except ConcurrentTransition:
        raise stale(obj) from None


def refuse_unless_allowed(obj, name: str, actor) -> None:
    method = getattr(obj, name)
    if not can_proceed(method):
        state = obj._meta.get_field(_field_name(obj)).value_from_object(obj)
        display = dict(obj._meta.get_field(_field_name(obj)).flatchoices).get(state, state)
        raise NotPermitted(str(obj.state_refusal) % {"state": display})
    if not has_transition_perm(method, actor):
        raise NotPermitted(permission_message())


def _field_name(obj) -> str:
    return getattr(obj, "transition_field", "state")


def _lock(obj) -> None:
    if obj.transition_lock == "row":
        field = _field_name(obj)
        locked = type(obj).objects.select_for_update().only(field).get(pk=obj.pk)
        if getattr(locked, field) != getattr(obj, field):
            raise stale(obj)
    elif obj.transition_lock != "version":
        raise ValueError(f"{type(obj).__name__}.transition_lock must be 'version' or 'row'")


def fire(
    obj,
    step: Step,
    actor,
    *,
    comment: str = "",
    internal: bool = False,
    expected_version=None,
    before_save: Callable | None = None,
    after: Callable | None = None,
    trail=None,
    **data,
):
    """Fires ``step`` on ``obj`` for ``actor`` (a user or roles.SYSTEM) and returns ``obj``.

    ``trail``: the object whose audit trail gets the event when it is not ``obj`` itself (a change
    request's steps are read on its filing's timeline); the event then keeps the request's own states
    in its data, since the trail's from/to columns are the trail object's states."""
    try:
        with transaction.atomic():
            if obj.transition_lock == "version":
                check_version(obj, expected_version)
            _lock(obj)
            refuse_unless_allowed(obj, step.name, actor)
            field = _field_name(obj)
            from_state = getattr(obj, field)
            getattr(obj, step.name)()
            if before_save:
                before_save(obj)
            save(obj)
            to_state = getattr(obj, field)
            if trail is None:
                states = {"from_state": from_state, "to_state": to_state}
            else:
                states = {}
                data = {"step_from": from_state, "step_to": to_state, **data}
            row = audit.record(
                step.event,
                obj if trail is None else trail,
                None if roles.is_system(actor) else actor,
                comment=comment,
                internal=internal,
                **states,
                **data,
            )
            if after:
                after(obj, row)
    except Exception:
        # The transaction rolled back; the caller keeps no instance in a state it never reached.
        if obj.pk:
            obj.refresh_from_db()
        raise
    return obj


def available(obj, actor) -> list[str]:
    """The names of the transitions ``actor`` may fire on ``obj`` now (what a page offers)."""
    field = _field_name(obj)
    return [
        t.name
        for t in get_available_FIELD_transitions(obj, obj._meta.get_field(field))
        if t.has_perm(obj, actor)
    ]
