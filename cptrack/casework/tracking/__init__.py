"""The case-tracking app's model: the caseload dashboard, one child's file, the record.

A chair opens this every morning (DOMAIN.md §1 step 5; 000, "regular Case Tracking
monitoring"). Nothing here draws a widget; each module does one job, and each imports only
those above it in this list:

* ``words``: the codes the pages show and their words (decisions, checks, RAG, categories).
* ``dashboard``: one row per child on a plan or awaiting an initial conference, with the
  engine's open findings counted by RAG and the reasons in words; ``Dashboard.filtered``
  (RAG, category, team, drift only) and ``Dashboard.summary`` (the strip at the top). The
  counts are the engine's live findings, the same that ``cptrack check --open`` lists.
* ``chronology``: every event in a child's records, oldest first.
* ``child``: one child's file (``open_child``): the child and siblings, the plan, the
  chronology, every finding with its rule and citation, the plan's actions, earlier
  records; and the report a page's "Download report" makes (``report_request``).
* ``record``: the case-tracking record (``TrackingDraft``, ``save``: what was checked,
  observations, concerns, decision, next check), validated field by field and written in one
  audited transaction; an amendment states the version it was made from and a stale one is
  refused.

Timescales come from the engine only; these modules read frames and write through the store.
"""
