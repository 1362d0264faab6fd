"""Reading single values as real files write them: dates, yes/no, codes and headers.

Every reader takes what a cell or element holds (text, a number, a date) and returns a
Python value, or raises ``ValueError`` with a message a person can act on. Blank input is
``None``. The importers add the field name and the row to the message.

The variations accepted are the ones real CIN census returns, Annex A workbooks and
case-system extracts have (DOMAIN.md §3; ``../shared/CIN_RULES.md``):

* yes/no: ``true``/``false``, ``TRUE``/``FALSE``, ``1``/``0``, ``Y``/``N``, ``Yes``/``No``;
* dates: ISO ``2025-03-31`` (with or without a time), UK ``31/03/2025``, ``31/03/25``,
  ``31-03-2025``, ``31.03.2025``, ``31 Mar 2025``, ``31 March 2025``, Excel serial numbers
  (``45747``), and dates or datetimes that a spreadsheet reader already made. A US-style
  ``03/31/2025`` is refused rather than guessed;
* categories of abuse: the census codes (``NEG``), the labels (``Neglect``) and Annex A's
  lettered labels (``a) Neglect``, ``e) Multiple/not recommended``);
* Ofsted's Annex A template: every coded column holds the option as its drop-down list
  shows it, a letter, a closing bracket and a space before the label or code (``a) Male``,
  ``a) WBRI``, ``s) NOBT``, ``b) No``); the letter is dropped (``unlettered``) and the rest
  read as the plain value would be;
* non-breaking and other odd spaces (pasted from a case system or a web page) read as
  spaces, and runs of spaces as one (``text``).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from cptrack.domain.models import Category, Ethnicity, Sex

# Excel counts days from 1899-12-30 (the day before its phantom 29 February 1900), so
# serial 45747 is 2025-03-31. Serials in this range are dates from 1950 to 2099.
EXCEL_EPOCH = dt.date(1899, 12, 30)
EXCEL_SERIAL_RANGE = (18264, 73050)

_UK_FORMATS = (
    "%d/%m/%Y",
    "%d/%m/%y",
    "%d-%m-%Y",
    "%d-%m-%y",
    "%d.%m.%Y",
    "%d %b %Y",
    "%d %B %Y",
    "%d-%b-%Y",
    "%d-%b-%y",
    "%d %b %y",
)


def blank(value: Any) -> bool:
    """True for None, empty or whitespace-only text, and NaN."""
    if value is None:
        return True
    if isinstance(value, str):
        return not _ODD_SPACES.sub("", value)
    return isinstance(value, float) and value != value


# Spaces that look like spaces: no-break, figure, narrow no-break, zero-width, and tabs.
_ODD_SPACES = re.compile(r"[\s\u00a0\u2007\u202f\u200b\ufeff]+")


def text(value: Any) -> str | None:
    """Trimmed text with odd spaces (no-break, zero-width) read as single spaces, or None
    when blank. Whole numbers read from a sheet lose their ``.0``."""
    if blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    raw = str(value).strip()
    if raw.isprintable() and "  " not in raw:  # the usual case, without a regex
        return raw or None
    return _ODD_SPACES.sub(" ", raw).strip() or None


# Annex A's drop-down options: "a) Male", "r) OOTH", "(b) No".
_LETTERED = re.compile(r"^\(?[A-Za-z]\)\s*(?=\S)")


def unlettered(value: str) -> str:
    """An Annex A drop-down option without its letter: ``a) Male`` → ``Male``."""
    return _LETTERED.sub("", value, count=1)


def _option(value: Any) -> str:
    """Text as a coded column holds it, its spaces cleaned and any letter dropped."""
    return unlettered(text(value) or "")


def read_date(value: Any) -> dt.date | None:
    """A date from any of the accepted forms (see the module doc)."""
    if blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a date")
    if isinstance(value, int | float):
        return excel_serial(value)
    raw = text(value) or ""
    if re.fullmatch(r"\d{4,5}(\.0+)?", raw):
        return excel_serial(float(raw))
    iso = re.fullmatch(r"(\d{4}-\d{2}-\d{2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?", raw)
    if iso:
        try:
            return dt.date.fromisoformat(iso.group(1))
        except ValueError:
            raise ValueError(f"{raw!r} is not a real date") from None
    for fmt in _UK_FORMATS:
        try:
            return dt.datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise ValueError(
        f"{raw!r} is not a date; use a day-first UK date such as 31/03/2025, or 2025-03-31"
    )


def excel_serial(number: float) -> dt.date:
    """The date an Excel serial day number stands for (a fraction is a time of day)."""
    low, high = EXCEL_SERIAL_RANGE
    if not low <= number <= high:
        raise ValueError(
            f"{number!r} is not a date: as an Excel serial number it would be "
            f"{EXCEL_EPOCH + dt.timedelta(days=int(number))}, outside 1950 to 2099"
        )
    return EXCEL_EPOCH + dt.timedelta(days=int(number))


_YES = {"true", "t", "1", "y", "yes"}
_NO = {"false", "f", "0", "n", "no"}


def read_yes_no(value: Any) -> bool | None:
    """True or False from the yes/no forms files use; None when blank."""
    if blank(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    word = _option(value).lower().rstrip(".")
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise ValueError(
        f"{text(value)!r} is not yes or no; use Yes or No (or Y/N, true/false, 1/0, or the "
        "Annex A template's 'a) Yes' and 'b) No')"
    )


def read_int(value: Any) -> int | None:
    """A whole number; None when blank."""
    if blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a whole number")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raw = text(value) or ""
    if re.fullmatch(r"[+-]?\d+(\.0+)?", raw):
        return int(float(raw))
    raise ValueError(f"{raw!r} is not a whole number")


# ---------------------------------------------------------------------------
# Codes


def _squash(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", value.lower()).strip()


CATEGORY_WORDS: dict[str, Category] = {
    "neg": Category.NEG,
    "neglect": Category.NEG,
    "phy": Category.PHY,
    "physical": Category.PHY,
    "physical abuse": Category.PHY,
    "sab": Category.SAB,
    "sexual": Category.SAB,
    "sexual abuse": Category.SAB,
    "emo": Category.EMO,
    "emotional": Category.EMO,
    "emotional abuse": Category.EMO,
    "mul": Category.MUL,
    "multiple": Category.MUL,
    "multiple not recommended": Category.MUL,
    "multiple categories": Category.MUL,
}


_CATEGORY_CODES = frozenset(c.value for c in Category)


def read_category(value: Any) -> str | None:
    """A category of abuse code (``NEG`` …) from a code or a label, lettered or not."""
    if value in _CATEGORY_CODES:
        return value
    if blank(value):
        return None
    raw = text(value) or ""
    found = CATEGORY_WORDS.get(_squash(unlettered(raw)))
    if found is None:
        raise ValueError(
            f"{raw!r} is not a category of abuse; use NEG, PHY, SAB, EMO or MUL, a label "
            "(Neglect, Physical abuse, Sexual abuse, Emotional abuse, Multiple/not "
            "recommended) or the Annex A template's lettered label such as 'a) Neglect'"
        )
    return found.value


SEX_WORDS: dict[str, Sex] = {
    "m": Sex.M,
    "male": Sex.M,
    "f": Sex.F,
    "female": Sex.F,
    "u": Sex.U,
    "unknown": Sex.U,
    "not known": Sex.U,
    "not stated": Sex.U,
    "not specified": Sex.U,
    "unborn": Sex.U,
    "indeterminate": Sex.U,
    "unknown indeterminate": Sex.U,
    "not known indeterminate": Sex.U,
}

# GenderCurrent in census returns before 2024: 0 not known, 1 male, 2 female, 9 not specified.
GENDER_CURRENT: dict[str, Sex] = {"0": Sex.U, "1": Sex.M, "2": Sex.F, "9": Sex.U}


def read_sex(value: Any) -> str | None:
    """M, F or U from a census Sex code, an older GenderCurrent number or a word."""
    if blank(value):
        return None
    raw = text(value) or ""
    if raw in GENDER_CURRENT:
        return GENDER_CURRENT[raw].value
    found = SEX_WORDS.get(_squash(unlettered(raw)))
    if found is None:
        raise ValueError(
            f"{raw!r} is not a sex; use M, F or U, Male, Female or Unknown, or the Annex A "
            "template's 'a) Male', 'b) Female'"
        )
    return found.value


# The DfE descriptions of the ethnicity codes, so a workbook that spells them out reads too.
ETHNICITY_LABELS: dict[str, Ethnicity] = {
    "white british": Ethnicity.WBRI,
    "white english welsh scottish northern irish or british": Ethnicity.WBRI,
    "white irish": Ethnicity.WIRI,
    "traveller of irish heritage": Ethnicity.WIRT,
    "white irish traveller": Ethnicity.WIRT,
    "any other white background": Ethnicity.WOTH,
    "white other": Ethnicity.WOTH,
    "gypsy roma": Ethnicity.WROM,
    "white gypsy or roma": Ethnicity.WROM,
    "white and black caribbean": Ethnicity.MWBC,
    "white and black african": Ethnicity.MWBA,
    "white and asian": Ethnicity.MWAS,
    "any other mixed background": Ethnicity.MOTH,
    "mixed other": Ethnicity.MOTH,
    "indian": Ethnicity.AIND,
    "pakistani": Ethnicity.APKN,
    "bangladeshi": Ethnicity.ABAN,
    "any other asian background": Ethnicity.AOTH,
    "asian other": Ethnicity.AOTH,
    "caribbean": Ethnicity.BCRB,
    "black caribbean": Ethnicity.BCRB,
    "african": Ethnicity.BAFR,
    "black african": Ethnicity.BAFR,
    "any other black background": Ethnicity.BOTH,
    "black other": Ethnicity.BOTH,
    "chinese": Ethnicity.CHNE,
    "any other ethnic group": Ethnicity.OOTH,
    "other ethnic group": Ethnicity.OOTH,
    "refused": Ethnicity.REFU,
    "information not yet obtained": Ethnicity.NOBT,
    "not obtained": Ethnicity.NOBT,
}
_ETHNICITY_CODES = {e.value for e in Ethnicity}


def read_ethnicity(value: Any) -> str | None:
    """A DfE ethnicity code from the code itself or its description."""
    if blank(value):
        return None
    raw = text(value) or ""
    option = unlettered(raw)
    if option.upper() in _ETHNICITY_CODES:
        return option.upper()
    found = ETHNICITY_LABELS.get(_squash(option))
    if found is None:
        raise ValueError(
            f"{raw!r} is not a DfE ethnicity code; use one of "
            f"{', '.join(e.value for e in Ethnicity)}, its description (White British), or "
            "the Annex A template's lettered code such as 'a) WBRI'"
        )
    return found.value


# ---------------------------------------------------------------------------
# Headers


def header_key(header: Any) -> str:
    """A header reduced for tolerant matching.

    Case, spacing, punctuation, underscores and parenthetical notes are ignored, and ``&``
    reads as ``and``: "Age of Child (Years)" and "age_of_child" give the same key.
    """
    raw = "" if header is None else str(header)
    raw = raw.replace("&", " and ")
    raw = re.sub(r"\([^)]*\)", " ", raw)
    return _squash(raw)
