"""The free-text search box of the lists: one condition over several fields."""

from functools import reduce
from operator import or_

from django.db.models import Q


def any_of(query: str, *lookups: str) -> Q:
    """Rows where any of ``lookups`` (``"title__icontains"``, ``"code__iexact"``...) matches ``query``."""
    return reduce(or_, (Q(**{lookup: query}) for lookup in lookups))
