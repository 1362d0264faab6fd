"""The practice observation framework: what a QA lead looks for when observing a chair.

"Quality Assurance of the Conference Chairperson will be completed on a regular basis ...
recorded by Practice Observation Forms and feed into the Case Audit Management meeting"
(``000_8cc237e70824866b.txt``, last standard for conference chairs).

The framework is data. ``standard.toml`` beside this module holds the domains (preparation,
the child's voice, respect, every professional contributing, risk, the plan, decisions,
arrangements, timeliness, follow-up) and their criteria; each criterion cites the seed
paragraphs it comes from and quotes their words, so a reader (and a test) can check it.
Criteria are rated on ``SCALE``: Outstanding, Good, Requires improvement to be good,
Inadequate, or Not observed.

An authority adjusts the framework in its standards profile (``cptrack.rules.profiles``) with an
``[observation]`` section, read by ``parse``; the section is applied to the standard
framework (so a profile says only what differs)::

    [observation]
    interval_months = 4                   # observe every chair at least this often
    drop = ["timeliness_stand_down"]      # domain or criterion ids not used here

    [[observation.domains]]               # an existing domain: change its title or add
    id = "voice"                          # criteria; a new id: a new domain (title needed)
    [[observation.domains.criteria]]
    id = "voice_wipeboard"
    text = "Used the wipeboard to help everyone contribute."
    sources = [{ seed = "000_8cc237e70824866b.txt", at = "Quality Standards for Conference Chairs",
                 quote = "use appropriate technology (wipeboard)" }]

``base = "none"`` starts from an empty framework instead of the standard one. A source is
``{ seed, at, quote }`` (``at`` is "§3.2", "Practice Guidance §3" or the heading of an
unnumbered seed) or ``{ url = "https://...", quote }`` for an authority's own published
standards.

The package:

* ``scale``: the grades a criterion is rated on (``SCALE``, ``GRADE``, ``grade_for_score``).
* ``framework``: ``Framework``, its ``Domain``s and ``Criterion``s, and each one's ``Source``.
* ``build``: a framework from plain data, every problem named; ``standard()``.
* ``section``: the ``[observation]`` section of a profile (``parse``, ``for_profile``,
  ``framework_named``).
* ``seeds``: a seed source checked against the seed files (``seeds_dir``, ``verify_source``).
* ``summary``: observations as frames and what the Case Audit Management meeting looks at.

This ``__init__`` re-exports the names most callers use.
"""

from __future__ import annotations

from cptrack.quality.observation.build import standard
from cptrack.quality.observation.framework import Criterion, Domain, Framework, Source
from cptrack.quality.observation.scale import GRADE, JUDGEMENTS, SCALE, Grade, grade_for_score
from cptrack.quality.observation.section import for_profile, framework_named

__all__ = [
    "GRADE",
    "JUDGEMENTS",
    "SCALE",
    "Criterion",
    "Domain",
    "Framework",
    "Grade",
    "Source",
    "for_profile",
    "framework_named",
    "grade_for_score",
    "standard",
]
