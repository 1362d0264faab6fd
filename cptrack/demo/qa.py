"""A year of synthetic practice observations and conference feedback for the demo caseload.

Made inside each chunk of the demo (``cptrack.demo.synthetic``), from that chunk's conferences, so it
costs little however large the caseload: observations scale with the chairs
(``observations``: each chair is observed in one chunk), feedback with the conferences held in
the last year at which feedback was sought (``feedback``). Everything is invented and
deterministic from the seed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from cptrack.demo.feedback import feedback
from cptrack.demo.observations import chairs_of_chunk, observations


def generate(
    seed: int,
    as_of: dt.date,
    chunk_no: int,
    n_chunks: int,
    chairs: list[int],
    qa_leads: list[int],
    rows: dict[str, Any],
) -> dict[str, list[dict]]:
    """Observations and feedback for one chunk's ``rows`` (conference ids local to it)."""
    conferences = [
        c
        for c in rows.get("conferences", [])
        if c.get("held_date") is not None and not c.get("stood_down")
    ]
    by_chair: dict[int, list[dict]] = defaultdict(list)
    for c in conferences:
        by_chair[c["chair_id"]].append(c)
    observed = []
    for index, chair in chairs_of_chunk(chairs, chunk_no, n_chunks):
        observed += observations(seed, as_of, index, chair, by_chair.get(chair, []), qa_leads)
    for k, o in enumerate(observed, 1):
        o["id"] = k
    births = {c["id"]: c.get("date_of_birth") for c in rows.get("children", [])}
    answered = feedback(seed, chunk_no, as_of, conferences, births)
    return {"observations": observed, "feedback": answered}
