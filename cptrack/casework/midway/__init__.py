"""The midway review's model: who is due, what the records already show, the form, one save.

Between conferences the chair tracks the plan at a midway review
(``004_112bca42ee448b63.txt §4.14``). Ofsted praises it where it drives the plan and
criticises it where it is "more on compliance than the effectiveness of the plan", so the
form asks for judgement with evidence, and fills in the compliance facts itself.

Each module does one job, and imports only those above it in this list:

* ``words``: the review's codes and their words, the form's fields, the standards it cites.
* ``due``: ``due_list``: children whose midway review is due or overdue, from the engine's
  ``midway_review`` findings (the profile's rule; the midpoint is its setting
  ``midway_review_point``). A profile with no midway rule still gets the list, from the
  engine's ``plan_schedule`` midway points, marked as not checked by the profile.
* ``draft``: the form (``MidwayDraft``, its outcomes and actions); ``MidwayDraft.problems``:
  what the form refuses, by field, each citing its standard.
* ``opening``: ``open_review``: everything the form shows for one child: the plan, the
  conference the interval counts from, core groups and visits since, actions overdue, the
  open findings, and a draft pre-filled from them (or the review already saved for this
  interval).
* ``saving``: ``save``: the review, its actions (plan actions with source ``midway_review``)
  and, when the decision is to escalate, the escalation it opens, in one audited
  transaction; an amendment made from an old version is refused.

A saved review is a ``midway_reviews`` record: it is in the child's chronology (the caseload
holds it) and the engine counts it, so the midway finding turns met.
"""
