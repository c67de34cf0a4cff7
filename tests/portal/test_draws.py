"""portal.draws: the one replayable draw. Draws recorded before it existed (three implementations in
filings, supervision and certification) replay exactly through it."""

import random

import pytest

from portal import draws

# What each old implementation computed, kept here verbatim: the rows stored by them must replay.


def legacy_filings(pool, n, seed):  # filings/workflow.py draw_from (experts; changes reused it)
    return random.Random(seed).sample(sorted(pool), n)


def legacy_supervision(institutions, inspectors, n_institutions, n_inspectors, seed):
    rng = random.Random(seed)
    chosen = rng.sample(sorted(institutions), min(n_institutions, len(institutions)))
    people = rng.sample(sorted(inspectors), min(n_inspectors, len(inspectors)))
    return sorted(chosen), sorted(people)


def legacy_panel(pool_ids, size, seed):  # certification/rules.py draw_panel
    return sorted(random.Random(seed).sample(sorted(set(pool_ids)), size))


def cases(count=200):
    rng = random.Random(2026)
    for _ in range(count):
        pool = rng.sample(range(1, 500), rng.randint(3, 40))
        yield (
            pool,
            rng.randint(1, len(pool)),
            rng.choice([f"{rng.getrandbits(64):016x}", rng.getrandbits(48)]),
        )


def test_expert_draws_recorded_before_replay():
    for pool, k, seed in cases():
        assert draws.draw(pool, k, seed) == legacy_filings(pool, k, seed)


def test_supervision_draws_recorded_before_replay():
    from filings import supervision

    for pool, k, seed in cases():
        inspectors = pool[: max(1, len(pool) // 3)]
        n = min(k, len(inspectors) + 1)  # sometimes asks for more inspectors than there are
        assert supervision.choose(pool, inspectors, k, n, seed) == legacy_supervision(
            pool, inspectors, k, n, seed
        )


def test_review_panels_recorded_before_replay():
    from certification import rules

    for pool, k, seed in cases():
        assert rules.draw_panel(pool + pool[:2], k, seed) == legacy_panel(pool + pool[:2], k, seed)


def test_the_order_of_the_pool_does_not_matter_and_the_seed_does():
    pool = list(range(1, 30))
    a = draws.draw(pool, 5, "seed-a")
    assert draws.draw(list(reversed(pool)), 5, "seed-a") == a
    assert draws.draw(pool + pool, 5, "seed-a") == a
    assert draws.draw(pool, 5, "seed-b") != a


def test_many_draws_share_one_generator():
    first, second = draws.draw_many("s", [([1, 2, 3, 4], 2), ([7, 8, 9], 1)])
    rng = random.Random("s")
    assert first == rng.sample([1, 2, 3, 4], 2)
    assert second == rng.sample([7, 8, 9], 1)


def test_too_small_a_pool_refuses():
    with pytest.raises(ValueError):
        draws.draw([1, 2], 3, "s")


def test_new_seeds_differ_and_keep_their_kind():
    assert draws.new_seed() != draws.new_seed()
    assert len(draws.new_seed()) == 16
    assert isinstance(draws.new_integer_seed(), int)
