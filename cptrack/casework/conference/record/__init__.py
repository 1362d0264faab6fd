"""The conference record form's model: what the conference decided, checked and saved at once.

A ``draft.RecordDraft`` holds the record of one conference (DOMAIN.md §4): the date; attendance
and apologies by agency, each professional's scaling score (0 to 10, ``001``), view on the
decision and any dissent; the Signs of Safety analysis; the decision and category; and,
when a plan is made or continues, the arrangements the standards require. Or the
conference was stood down, with its reason, a bridging plan and the date it reconvenes.

* ``words``: the record's codes and their words, the form's fields, the standards it cites.
* ``checks``: what the standards require and is missing (``RecordDraft.problems``), each
  message citing its standard: quoracy, social care and at least two other agencies
  (``003 §4.2``), else stand the conference down (``003 §4.3``) with a bridging plan
  (``003 §4.4``); every professional's view (``002`` standard 4) and scaling (``001``);
  dissent recorded (``002`` standard 6); core group members and the first core group's date
  (``002`` standard 7); the review date (``002`` standard 8); the visiting frequency (``002``
  standard 9); a contingency plan (``002`` standard 10); SMART actions, who does what by when
  (``003 §5.2``, ``000``).
* ``draft``: what the form holds (the draft, its attendees and actions) and what it writes.
* ``opening``: the draft for a conference, from what was saved or what the plan holds.
* ``dates``: the dates the profile proposes after a conference, and (``schedule``) the dates
  the engine says are now due for the plan, read back from the saved records.
* ``saving``: ``save`` writes everything in one audited transaction: the conference, its
  attendance, the plan (made, continued or ended), the scheduled first (or next) core group
  and the next review conference as booked records, the plan's actions, and a reconvened
  conference for a stand-down.
"""
