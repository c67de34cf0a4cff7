from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from . import audit, roles, workdays
from .models import CalendarDay, CalendarYear, Notification, User


@receiver([post_save, post_delete], sender=CalendarDay)
@receiver([post_save, post_delete], sender=CalendarYear)
def calendar_changed(**kwargs):
    # A staff entry or a year declared complete changes deadlines at once in this process (again after
    # commit, so that a page rendered meanwhile does not keep the old year); others reload within
    # CACHE_SECONDS.
    workdays.clear_cache()
    transaction.on_commit(workdays.clear_cache)


def _forget_roles(users) -> None:
    keys = [roles.roles_cache_key(user) for user in users]
    if keys:
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))


@receiver(m2m_changed, sender=User.groups.through)
def memberships_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "pre_clear", "post_clear"):
        return
    if not reverse:  # user.groups.add/remove/clear/set
        _forget_roles([instance])
    elif action == "pre_clear":  # group.user_set.clear(): who they were, before they are gone
        _forget_roles(list(instance.user_set.all()))
    else:  # group.user_set.add/remove
        _forget_roles(list(User.objects.filter(pk__in=pk_set or ())))


@receiver([post_save, pre_delete], sender=Group)
def group_changed(sender, instance, **kwargs):
    # A renamed or deleted group changes its members' roles (deletion cascades without m2m_changed).
    if instance.pk:
        _forget_roles(list(instance.user_set.all()))


@receiver([post_save, post_delete], sender=Notification)
def notification_changed(sender, instance, **kwargs):
    audit.forget_unread_count(instance.user_id)
