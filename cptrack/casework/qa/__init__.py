"""The QA lead's page models, without widgets: the Practice Observation Form
(``observation``), feedback after a conference (``feedback``), the QA dashboard for the Case
Audit Management meeting (``dashboard``), and the look-ups they share (``common``: chairs,
observers, the conferences a chair held). Their static HTML pieces are ``cptrack.render.qa``.
"""
