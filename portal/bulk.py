"""Several items handled at once (issue 39 item 4): each item goes through its own service call (so through
``portal.transitions.fire`` with its own audit event) in its own transaction, one after the other; a refused
item changes nothing of its own and undoes none of the others. The outcome says which were done and which
were refused, with each one's reason, for the page to show."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction

from .errors import PortalError

# The most items one request handles: a page of the queues (25 rows) four times over, and a bound on what one
# click can keep a web worker busy with.
BULK_MAX_ITEMS = 100


@dataclass
class Outcome:
    done: list = field(default_factory=list)
    refused: list[tuple[object, str]] = field(default_factory=list)  # (item, the reason, in the user's words)


def apply(items: Iterable, call: Callable[[object], object]) -> Outcome:
    """``call(item)`` for each item in its own transaction; a PortalError refuses that item only."""
    outcome = Outcome()
    for item in items:
        try:
            with transaction.atomic():
                call(item)
        except PortalError as error:
            outcome.refused.append((item, str(error)))
        else:
            outcome.done.append(item)
    return outcome
