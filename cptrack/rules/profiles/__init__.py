"""Standards profiles: each authority's timescales and settings as data, in one registry.

A profile is a TOML file in this folder (or anywhere, for a user's own). ``national`` holds
Working Together 2023; each authority's file says ``extends = "national"`` and adds,
overrides or switches off rules by id. The engine (``cptrack.engine``) interprets the
rules; adding an authority never means editing engine code.

A file has these sections::

    extends = "national"            # optional: a registry name or a path beside this file

    [authority]                     # who the profile is for
    name = "Sunderland"
    description = "Core Practice Standards ... (seed 003)"

    [settings]                      # choices the standards leave open; see SETTINGS
    icpc_clock = "first"
    [settings.citations]            # optional: where a setting's value comes from
    icpc_clock = "003_b9b37e5469565ffe.txt §1.1"

    [[rules]]                       # one timescale or drift rule; see RULE_FIELDS
    id = "icpc_within_15wd"
    text = "The initial conference is held within 15 working days of ..."
    event = "icpc"                  # what the rule governs; see EVENTS
    anchor = "strategy_discussion"  # when the clock starts; allowed anchors per event
    amount = 15
    unit = "working_days"           # working_days, calendar_days, hours, weeks, months
    direction = "after"             # after the anchor, or before it (reports)
    applies_to = ["initial", "pre_birth"]
    citation = "https://..."        # a seed file and paragraph, or an https URL

A rule entry whose id is already in the parent profile changes only the fields it gives:
``applied = false`` with a ``reason`` switches a rule off but keeps it listed. Where a
source contradicts itself, the profile holds both rules, one with ``applied = false``, a
``reason`` and ``conflicts_with`` naming the one the checks apply.

Adding a section (a preparation checklist, an observation framework): write a function
``parse(value, problems) -> typed value`` that appends ``Problem``s for anything wrong,
name it in ``registry.SECTIONS`` as ``"module:function"`` with a line of help, and document
the section in your module. The loader imports the function only when a profile has the
section; a child profile's section replaces its parent's whole. Unknown sections are
refused, so a typo never passes silently.

The package, from the bottom up (each module imports only those before it):

* ``vocabulary``: the events, anchors, conference types, bases and patterns a file may use;
  ``settings``: every setting with its default and help.
* ``model``: ``Rule``, ``Profile``, ``Problem``, ``ProfileError``; a rule's ``wording``.
* ``basis``: what a rule rests on and where its figure comes from.
* ``validation``: the ``[settings]`` and ``[[rules]]`` of a file read, merged and checked.
* ``registry``: the shipped profiles and the extension sections; ``loader``: ``load``,
  ``load_file``, ``from_dict``, ``check_file``, ``with_settings``.

This ``__init__`` re-exports the names most callers use.
"""

from __future__ import annotations

from cptrack.rules.profiles.loader import (
    check_file,
    from_dict,
    load,
    load_file,
    with_settings,
)
from cptrack.rules.profiles.model import Problem, Profile, ProfileError, Rule
from cptrack.rules.profiles.registry import available
from cptrack.rules.profiles.vocabulary import BASES, EVENTS

__all__ = [
    "BASES",
    "EVENTS",
    "Problem",
    "Profile",
    "ProfileError",
    "Rule",
    "available",
    "check_file",
    "from_dict",
    "load",
    "load_file",
    "with_settings",
]
