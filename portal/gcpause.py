"""Python's cyclic garbage collector paused while one long batch runs, one pause for the whole process.

A batch that builds millions of objects (a 2,000-page WeasyPrint render, issue 44; a 10,000-row roster check,
issue 42 item 3) sets off full collections that walk every object made so far, again and again: a third to a
half of such a batch's CPU time. Reference counting still frees what it can; the cycles left are collected
when the pause ends.

The switch is process-wide, so batches in several threads (and of several kinds) share one pause: a lock and a
count of the batches inside; the first in turns the collector off (if it was on) and only the last out turns
it back on, never while another batch still runs (tests/certification/test_ticket_speed.py)."""

import gc
import threading


class paused_cyclic_gc:
    """The pause (see the module's docstring), as a context manager: ``with paused_cyclic_gc(): ...``."""

    _lock = threading.Lock()
    _inside = 0
    _was_enabled = False

    def __enter__(self):
        cls = type(self)
        with cls._lock:
            if cls._inside == 0:
                cls._was_enabled = gc.isenabled()
                gc.disable()
            cls._inside += 1
        return self

    def __exit__(self, *exc):
        cls = type(self)
        with cls._lock:
            cls._inside -= 1
            if cls._inside == 0 and cls._was_enabled:
                gc.enable()
