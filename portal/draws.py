"""The one replayable random draw of the portal: evaluation experts of a filing or a change
(seed 001 第十条(三)), the 双随机 inspections of supervision (seed 001 第二十条) and the panels of a
comprehensive review (seed 002 综合评审工作流程 三).

A draw is a function of (pool, k, seed) alone: the pool is de-duplicated and sorted before sampling, so
the order in which a query returned it does not matter, and the seed is stored with the result, so
anyone can repeat the draw from the record and get the same people. Several draws that share one seed
(supervision draws institutions, then inspectors) take them from one generator in order: ``draw_many``.

Seeds are stored as they were made: filings and supervision keep a hex string, the review panels an
integer (a BigIntegerField); ``random.Random`` gives different sequences for the two, so a stored seed is
never converted.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Iterable, Sequence

Seed = str | int


def new_seed() -> str:
    """A fresh seed for a draw (16 hex digits), to be stored with its result."""
    return secrets.token_hex(8)


def new_integer_seed() -> int:
    """A fresh integer seed, for records that keep the seed in an integer column."""
    return secrets.randbits(48)


def draw(pool: Iterable[int], k: int, seed: Seed) -> list[int]:
    """k members of the pool, in the order drawn; the same pool and seed give the same list.

    Raises ValueError when the pool has fewer than k members (callers say so in their own words first)."""
    return draw_many(seed, [(pool, k)])[0]


def draw_many(seed: Seed, requests: Sequence[tuple[Iterable[int], int]]) -> list[list[int]]:
    """Several draws from one generator, in the order given: [(pool, k), ...] -> [chosen, ...]."""
    rng = random.Random(seed)
    return [rng.sample(sorted(set(pool)), k) for pool, k in requests]
