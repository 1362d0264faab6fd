"""What every form's draft does with the values a view read from its inputs.

A draft (``EscalationDraft``, ``MidwayDraft``, ``TrackingDraft``, the conference's
``PreparationDraft`` and ``RecordDraft``) is a frozen copy of a form; ``with_values`` makes a
new one from what the view read. These are the steps they share.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def cleaned(
    values: dict[str, Any],
    fields: Iterable[str],
    form: str,
    text: Iterable[str] = (),
    optional: Iterable[str] = (),
) -> dict[str, Any]:
    """``values`` with text stripped; a name that is not one of ``fields`` is refused (a
    programming error in a view, so a TypeError, not a message for the user). A ``text``
    field left empty is "" (never None); an ``optional`` one left empty (a blank choice, a
    zero) is None."""
    unknown = set(values) - set(fields)
    if unknown:
        raise TypeError(f"not fields of the {form}: {', '.join(sorted(unknown))}")
    text, optional = set(text), set(optional)
    out: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, str):
            value = value.strip()
        if name in text and value is None:
            value = ""
        elif name in optional and not value:
            value = None
        out[name] = value
    return out


def removed(before: list, now: list) -> list:
    """The saved rows (those with a ``record_id``) in ``before`` that are not in ``now``,
    once each: a repeating list's rows the user took out, to be deleted when it saves."""
    kept = {r.record_id for r in now if r.record_id is not None}
    gone = {r.record_id: r for r in before if r.record_id is not None and r.record_id not in kept}
    return list(gone.values())
