from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import workdays
from .models import CalendarDay


@receiver([post_save, post_delete], sender=CalendarDay)
def calendar_changed(**kwargs):
    # A staff entry changes deadlines at once in this process; others reload within CACHE_SECONDS.
    workdays.clear_cache()
