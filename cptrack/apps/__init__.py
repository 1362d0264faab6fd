"""The apps: Voila notebooks composed from this package.

``APPS`` lists every app once; the home page links to those whose notebook is present (and
to an admin's pages, ``admin_only``, only for an admin).
Each app notebook only imports, wires and displays what lives here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class App:
    notebook: str
    title: str
    description: str
    audience: str
    admin_only: bool = False


APPS: tuple[App, ...] = (
    App(
        "case_tracking.ipynb",
        "Case tracking",
        "Your caseload every morning: what is due, what is late, drift, and the case-tracking "
        "record for each child.",
        "Chairs",
    ),
    App(
        "midway_review.ipynb",
        "Midway review",
        "Children whose midway point is due, and the midway review form.",
        "Chairs",
    ),
    App(
        "conference.ipynb",
        "Conference preparation and record",
        "The checklist before a conference and the record of what it decided.",
        "Chairs",
    ),
    App(
        "escalations.ipynb",
        "Escalation log",
        "Every escalation, its stage and response date; open one, or record the response and "
        "outcome.",
        "Chairs and managers",
    ),
    App(
        "practice_observation.ipynb",
        "Practice observation",
        "The Practice Observation Form: observe a chair at a conference against the chairs' "
        "standards, then the chair's reflection.",
        "QA leads",
    ),
    App(
        "qa_dashboard.ipynb",
        "QA dashboard",
        "For the Case Audit Management meeting: ratings by domain, trends, criteria below "
        "Good, chairs due an observation, and feedback.",
        "QA leads",
    ),
    App(
        "feedback.ipynb",
        "Feedback after a conference",
        "Record feedback from a child, a parent or carer, or a professional, and see the "
        "summary by chair and quarter.",
        "Chairs (the child's and family's, after their conferences) and QA leads",
    ),
    App(
        "imports.ipynb",
        "Import",
        "Bring in a CIN census return or an Ofsted Annex A workbook: check what it would "
        "add, change, leave alone and refuse, then import it in one go.",
        "Business support and QA leads",
    ),
    App(
        "staff.ipynb",
        "Staff and roles",
        "Who works in the service, the name each signs in with and their role: add a "
        "person, change a role, link a login. Every change is recorded under the admin.",
        "Admins",
        admin_only=True,
    ),
)
