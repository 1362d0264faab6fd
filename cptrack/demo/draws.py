"""Random draws for the synthetic caseload: a faster ``random.Random``, and weighted picks."""

from __future__ import annotations

import random
from typing import Any


class FastRandom(random.Random):
    """``random.Random`` with cheaper ``randint`` and ``choice`` (millions of calls)."""

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def choice(self, seq):
        return seq[int(self.random() * len(seq))]


def pick(rng: random.Random, weighted) -> Any:
    """One item from ``(item, weight)`` pairs, in proportion to the weights."""
    weighted = tuple(weighted)
    x = rng.random() * sum(w for _, w in weighted)
    for item, weight in weighted:
        x -= weight
        if x < 0:
            return item
    return weighted[-1][0]
