"""The domain model: every record cptrack keeps, declared once.

Each record kind is a small pydantic model. The model is the single declaration of the
record: the database tables (``cptrack.storage.tables``) are derived from these classes, so a field
added here becomes a column (through a migration) and is validated on every write.

Models know nothing of SQL. They check what a record can check on its own: types, codes,
plausible dates and the order of dates within the record. Checks that need other records
(a review conference after its plan's start, one open plan per child) live in
``cptrack.storage.integrity``; the procedural requirements of a form (a contingency plan when a
conference makes a plan) live with the form.

Field names follow the words chairs use (DOMAIN.md §4); codes follow the DfE Children in
Need census where one exists (DOMAIN.md §3).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, ClassVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)
from pydantic import ValidationError as PydanticValidationError

# ---------------------------------------------------------------------------
# Errors


@dataclass(frozen=True)
class FieldError:
    """One problem with one field, in words a chair can act on."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class RecordError(ValueError):
    """A record was refused; ``errors`` names each field and its problem."""

    def __init__(self, kind: str, errors: list[FieldError]):
        self.kind = kind
        self.errors = list(errors)
        lines = "; ".join(str(e) for e in self.errors)
        super().__init__(f"{kind} not saved: {lines}")

    def by_field(self) -> dict[str, list[str]]:
        """The messages grouped by field name, for showing next to each input."""
        out: dict[str, list[str]] = {}
        for e in self.errors:
            out.setdefault(e.field, []).append(e.message)
        return out


# ---------------------------------------------------------------------------
# Column markers (read by cptrack.storage.tables)


@dataclass(frozen=True)
class Ref:
    """The field refers to another record kind's ``id``."""

    table: str
    on_delete: str = "RESTRICT"


@dataclass(frozen=True)
class LongText:
    """Free text: no length limit in the database; escaped wherever it is shown."""


@dataclass(frozen=True)
class Indexed:
    """Add a database index on this column."""


class Unique:
    """No two records share a value in this column (a unique index; empty values aside)."""


# ---------------------------------------------------------------------------
# Codes


class Category(StrEnum):
    """Category of abuse, as the CIN census codes it."""

    NEG = "NEG"
    PHY = "PHY"
    SAB = "SAB"
    EMO = "EMO"
    MUL = "MUL"


CATEGORY_LABELS = {
    Category.NEG: "Neglect",
    Category.PHY: "Physical abuse",
    Category.SAB: "Sexual abuse",
    Category.EMO: "Emotional abuse",
    Category.MUL: "Multiple",
}


class Sex(StrEnum):
    """As the CIN census records it (``Sex``; older files ``GenderCurrent``)."""

    M = "M"
    F = "F"
    U = "U"  # not known, not stated, or unborn


class Ethnicity(StrEnum):
    """DfE ethnicity codes used in the CIN census."""

    WBRI = "WBRI"
    WIRI = "WIRI"
    WIRT = "WIRT"
    WOTH = "WOTH"
    WROM = "WROM"
    MWBC = "MWBC"
    MWBA = "MWBA"
    MWAS = "MWAS"
    MOTH = "MOTH"
    AIND = "AIND"
    APKN = "APKN"
    ABAN = "ABAN"
    AOTH = "AOTH"
    BCRB = "BCRB"
    BAFR = "BAFR"
    BOTH = "BOTH"
    CHNE = "CHNE"
    OOTH = "OOTH"
    REFU = "REFU"
    NOBT = "NOBT"


class ConferenceType(StrEnum):
    INITIAL = "initial"
    REVIEW = "review"
    PRE_BIRTH = "pre_birth"  # an initial conference about an unborn child
    TRANSFER_IN = "transfer_in"


class ConferenceOutcome(StrEnum):
    CP_PLAN = "cp_plan"  # an initial, pre-birth or transfer-in conference makes a plan
    PLAN_CONTINUES = "plan_continues"  # a review keeps the plan
    PLAN_ENDS = "plan_ends"  # a review ends the plan
    CIN_PLAN = "cin_plan"  # no CP plan; the child is supported under a CIN plan
    NFA = "nfa"  # no further action


# Conference types that can make a plan (an initial conference, a pre-birth one, a transfer
# in), as against a review, which keeps or ends one.
INITIAL_LIKE = (
    ConferenceType.INITIAL.value,
    ConferenceType.PRE_BIRTH.value,
    ConferenceType.TRANSFER_IN.value,
)
# Conference outcomes after which the child is on a plan (one made, or one kept).
PLAN_OUTCOMES = (ConferenceOutcome.CP_PLAN.value, ConferenceOutcome.PLAN_CONTINUES.value)


class PlanEndReason(StrEnum):
    STEP_DOWN_CIN = "step_down_cin"
    STEP_DOWN_EARLY_HELP = "step_down_early_help"
    NO_FURTHER_ACTION = "no_further_action"
    LOOKED_AFTER = "looked_after"
    TRANSFERRED_OUT = "transferred_out"
    ADOPTED = "adopted"
    TURNED_18 = "turned_18"
    DIED = "died"
    OTHER = "other"


class Venue(StrEnum):
    IN_PERSON = "in_person"
    VIRTUAL = "virtual"
    HYBRID = "hybrid"


class Agency(StrEnum):
    """The agencies that report to and attend conferences."""

    SOCIAL_CARE = "social_care"
    POLICE = "police"
    HEALTH_VISITOR = "health_visitor"
    SCHOOL_NURSE = "school_nurse"
    GP = "gp"
    MIDWIFE = "midwife"
    SCHOOL = "school"
    EARLY_YEARS = "early_years"
    PROBATION = "probation"
    MENTAL_HEALTH = "mental_health"
    SUBSTANCE_MISUSE = "substance_misuse"
    HOUSING = "housing"
    DOMESTIC_ABUSE = "domestic_abuse"
    YOUTH_JUSTICE = "youth_justice"
    FAMILY = "family"
    OTHER = "other"


AGENCY_LABELS = {
    Agency.SOCIAL_CARE: "Children's social care",
    Agency.POLICE: "Police",
    Agency.HEALTH_VISITOR: "Health visitor",
    Agency.SCHOOL_NURSE: "School nurse",
    Agency.GP: "GP",
    Agency.MIDWIFE: "Midwifery",
    Agency.SCHOOL: "School",
    Agency.EARLY_YEARS: "Early years",
    Agency.PROBATION: "Probation",
    Agency.MENTAL_HEALTH: "Mental health",
    Agency.SUBSTANCE_MISUSE: "Substance misuse service",
    Agency.HOUSING: "Housing",
    Agency.DOMESTIC_ABUSE: "Domestic abuse service",
    Agency.YOUTH_JUSTICE: "Youth justice",
    Agency.FAMILY: "Family member",
    Agency.OTHER: "Other",
}


class AttendanceStatus(StrEnum):
    ATTENDED = "attended"
    APOLOGIES_REPORT_SENT = "apologies_report_sent"
    APOLOGIES = "apologies"
    DID_NOT_ATTEND = "did_not_attend"


class PlanView(StrEnum):
    """A conference member's view on the decision."""

    CP_PLAN = "cp_plan"
    CIN_PLAN = "cin_plan"
    NFA = "nfa"
    NO_VIEW = "no_view"


class CoreGroupStatus(StrEnum):
    HELD = "held"
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class ActionStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


class ActionSource(StrEnum):
    CONFERENCE = "conference"
    CORE_GROUP = "core_group"
    MIDWAY_REVIEW = "midway_review"
    CASE_TRACKING = "case_tracking"
    ESCALATION = "escalation"


class TrackingKind(StrEnum):
    CASE_TRACKING = "case_tracking"
    ENHANCED_RISK_ANALYSIS = "enhanced_risk_analysis"  # ERAM, 000 chairs' standards


class TrackingDecision(StrEnum):
    NO_ACTION = "no_action"
    ADVICE_SOCIAL_WORKER = "advice_social_worker"
    ADVICE_TEAM_MANAGER = "advice_team_manager"
    ESCALATE = "escalate"


class Rag(StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"


class RisksReducing(StrEnum):
    YES = "yes"
    PARTLY = "partly"
    NO = "no"


class MidwayDecision(StrEnum):
    ON_TRACK = "on_track"
    BRING_REVIEW_FORWARD = "bring_review_forward"
    ESCALATE = "escalate"
    RECOMMEND_CHANGE_OF_PLAN = "recommend_change_of_plan"


class Rating(StrEnum):
    """The Ofsted-style scale used for practice observations."""

    OUTSTANDING = "outstanding"
    GOOD = "good"
    REQUIRES_IMPROVEMENT = "requires_improvement"
    INADEQUATE = "inadequate"
    NOT_OBSERVED = "not_observed"


RATING_LABELS = {
    Rating.OUTSTANDING: "Outstanding",
    Rating.GOOD: "Good",
    Rating.REQUIRES_IMPROVEMENT: "Requires improvement to be good",
    Rating.INADEQUATE: "Inadequate",
    Rating.NOT_OBSERVED: "Not observed",
}


class ObservationStatus(StrEnum):
    DRAFT = "draft"
    AWAITING_REFLECTION = "awaiting_reflection"
    COMPLETE = "complete"


class Respondent(StrEnum):
    CHILD = "child"
    PARENT = "parent"
    PROFESSIONAL = "professional"


class FeedbackStatus(StrEnum):
    RECEIVED = "received"
    DECLINED = "declined"
    NOT_RETURNED = "not_returned"


class EscalationStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"
    WITHDRAWN = "withdrawn"


class StaffRole(StrEnum):
    CHAIR = "chair"
    QA_LEAD = "qa_lead"
    MANAGER = "manager"
    ADMIN = "admin"


class TeamKind(StrEnum):
    REVIEWING = "reviewing"  # the chairs' (IRO / QARO) service
    SOCIAL_WORK = "social_work"


class Participation(StrEnum):
    """How the child took part in the conference (DfE PN codes; DOMAIN.md §5)."""

    PN0 = "PN0"  # under 4 at the time of the review
    PN1 = "PN1"  # attended and spoke for themselves
    PN2 = "PN2"  # attended; an advocate conveyed their views
    PN3 = "PN3"  # attended; views conveyed non-verbally
    PN4 = "PN4"  # attended but did not convey views
    PN5 = "PN5"  # did not attend; an advocate conveyed their views
    PN6 = "PN6"  # did not attend; views conveyed by another method
    PN7 = "PN7"  # did not attend and views not conveyed


# ---------------------------------------------------------------------------
# Shared field checks

EARLIEST_DATE = dt.date(1990, 1, 1)
LATEST_YEARS_AHEAD = 2
CHILD_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-/.]{0,39}$")


TODAY_ENV = "CPTRACK_TODAY"


def today() -> dt.date:
    """Today's date: the one clock every page, command and check reads.

    ``CPTRACK_TODAY`` (an ISO date) fixes it: tests set it so they pass on any day, and a
    trainer can show the demo as of the day it was made. Unset, it is the real date."""
    fixed = os.environ.get(TODAY_ENV, "").strip()
    if not fixed:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(fixed)
    except ValueError:
        raise ValueError(f"{TODAY_ENV}: {fixed!r} is not a date (YYYY-MM-DD)") from None


def _blank_to_none(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _plausible_date(value: dt.date | None) -> dt.date | None:
    if value is None:
        return value
    if isinstance(value, dt.datetime):
        value = value.date()
    latest = today().replace(year=today().year + LATEST_YEARS_AHEAD)
    if value < EARLIEST_DATE:
        raise ValueError(
            f"{value.isoformat()} is before {EARLIEST_DATE.isoformat()}; check the year"
        )
    if value > latest:
        raise ValueError(f"{value.isoformat()} is more than {LATEST_YEARS_AHEAD} years ahead")
    return value


Day = Annotated[dt.date, BeforeValidator(_blank_to_none), AfterValidator(_plausible_date)]
OptDay = Annotated[dt.date | None, BeforeValidator(_blank_to_none), AfterValidator(_plausible_date)]
OptTime = Annotated[dt.time | None, BeforeValidator(_blank_to_none)]
OptText = Annotated[
    Annotated[str, StringConstraints(max_length=200)] | None, BeforeValidator(_blank_to_none)
]
Note = Annotated[str | None, BeforeValidator(_blank_to_none), LongText()]


# ---------------------------------------------------------------------------
# Base record


class Record(BaseModel):
    """Every stored record: an id, a version for optimistic locking, a source id.

    ``version`` starts at 1 and goes up by one with every update; an update made from an
    older version is refused (see ``cptrack.storage.transaction``). ``source_id`` is the record's id in the
    system it was imported from, so that importing the same file twice changes nothing.
    """

    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        use_enum_values=True,
        validate_default=True,
        # Validators are built when a record is first validated, not at import: an app page
        # that only reads opens about 0.2 s sooner.
        defer_build=True,
    )

    table: ClassVar[str]
    label: ClassVar[str]
    id_type: ClassVar[type] = int

    id: int | None = None
    version: int = 1
    source_id: OptText = None

    @classmethod
    def check(cls, data: dict[str, Any]) -> Record:
        """Validate ``data`` into a record or raise ``RecordError`` naming each bad field."""
        try:
            return cls.model_validate(data)
        except PydanticValidationError as exc:
            raise RecordError(cls.label, _field_errors(exc)) from None

    def row(self) -> dict[str, Any]:
        """The record as a plain dict of column values (enums as their codes)."""
        return self.model_dump()


def _field_errors(exc: PydanticValidationError) -> list[FieldError]:
    errors = []
    for err in exc.errors(include_url=False):
        loc = [str(p) for p in err.get("loc", ())]
        msg = str(err.get("msg", "invalid"))
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
        if msg.startswith("__field__"):
            name, _, msg = msg[len("__field__") :].partition(": ")
            loc = [name]
        elif err.get("type") == "enum":
            expected = err.get("ctx", {}).get("expected", "")
            msg = f"{err.get('input')!r} is not a known code; expected one of {expected}"
        elif err.get("type") == "missing":
            msg = "is required"
        elif err.get("type") == "extra_forbidden":
            msg = "is not a field of this record"
        elif err.get("type", "").startswith(("date_", "time_")):
            msg = f"{err.get('input')!r} is not a valid {err['type'].split('_')[0]}; use YYYY-MM-DD"
            if err["type"].startswith("time_"):
                msg = f"{err.get('input')!r} is not a valid time; use HH:MM"
        errors.append(FieldError(".".join(loc), msg))
    return errors


def _order(record: Record, earlier: str, later: str, *, strict: bool = False, why: str = ""):
    """Raise a field error on ``later`` when it comes before ``earlier``."""
    a, b = getattr(record, earlier), getattr(record, later)
    if a is None or b is None:
        return
    if b < a or (strict and b == a):
        word = "on or before" if strict else "before"
        tail = f" ({why})" if why else ""
        raise ValueError(
            f"__field__{later}: {b.isoformat()} is {word} {earlier.replace('_', ' ')} "
            f"{a.isoformat()}{tail}"
        )


# ---------------------------------------------------------------------------
# People and teams


class Team(Record):
    table: ClassVar[str] = "teams"
    label: ClassVar[str] = "Team"

    name: str = Field(min_length=1, max_length=120)
    kind: TeamKind = TeamKind.REVIEWING


class Staff(Record):
    """A chair (IRO, QARO), QA lead, manager or administrator."""

    table: ClassVar[str] = "staff"
    label: ClassVar[str] = "Staff member"

    name: str = Field(min_length=1, max_length=120)
    role: StaffRole
    team_id: Annotated[int | None, Ref("teams")] = None
    email: OptText = None
    active: bool = True
    # The name this person signs in with (the hub's user name, or the proxy's header): the
    # audit records it, and their role decides what they may change (cptrack.storage.roles).
    login: Annotated[str | None, Unique()] = Field(
        default=None, min_length=1, max_length=120, pattern=r"^\S+$"
    )


class Child(Record):
    """A child (or unborn baby) known to the conference service.

    ``id`` is the pseudonymous identifier used across cptrack (the census's LAchildID or the
    case system's person id); names are shown only where the user is entitled to see them
    and are replaced in pseudonymised output.
    """

    table: ClassVar[str] = "children"
    label: ClassVar[str] = "Child"
    id_type: ClassVar[type] = str

    id: str  # type: ignore[assignment]
    given_name: str = Field(min_length=1, max_length=80)
    family_name: str = Field(min_length=1, max_length=80)
    date_of_birth: OptDay = None
    expected_date_of_delivery: OptDay = None
    date_of_death: OptDay = None
    sex: Sex = Sex.U
    ethnicity: Ethnicity = Ethnicity.NOBT
    disability: bool | None = None
    first_language: str = Field(default="English", max_length=60)
    interpreter_needed: bool = False
    parent_learning_disability: bool = False
    address: Note = None
    postcode: OptText = None
    family_id: Annotated[str | None, Indexed()] = None
    team_id: Annotated[int | None, Ref("teams")] = None
    chair_id: Annotated[int | None, Ref("staff")] = None
    social_worker: OptText = None
    upn: OptText = None

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not CHILD_ID_PATTERN.match(value):
            raise ValueError(
                "use 1 to 40 letters, digits, '-', '_', '/' or '.', starting with a letter or digit"
            )
        return value

    @model_validator(mode="after")
    def _born_or_expected(self):
        if self.date_of_birth is None and self.expected_date_of_delivery is None:
            raise ValueError(
                "__field__date_of_birth: give a date of birth, or an expected date of delivery "
                "for an unborn child"
            )
        if self.date_of_birth is not None and self.date_of_birth > today():
            raise ValueError(
                "__field__date_of_birth: is in the future; for an unborn child give the "
                "expected date of delivery instead"
            )
        _order(self, "date_of_birth", "date_of_death")
        return self

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}"


# ---------------------------------------------------------------------------
# Referral, strategy discussion, s47


class CinEpisode(Record):
    """A Children in Need episode (the census's CINdetails)."""

    table: ClassVar[str] = "cin_episodes"
    label: ClassVar[str] = "CIN episode"

    child_id: Annotated[str, Ref("children", "CASCADE"), Indexed()]
    referral_date: Day
    referral_nfa: bool = False
    closure_date: OptDay = None
    reason_for_closure: OptText = None

    @model_validator(mode="after")
    def _dates(self):
        _order(self, "referral_date", "closure_date")
        return self


class CinPlan(Record):
    table: ClassVar[str] = "cin_plans"
    label: ClassVar[str] = "CIN plan"

    child_id: Annotated[str, Ref("children", "CASCADE"), Indexed()]
    episode_id: Annotated[int | None, Ref("cin_episodes", "SET NULL")] = None
    start_date: Day
    end_date: OptDay = None

    @model_validator(mode="after")
    def _dates(self):
        _order(self, "start_date", "end_date")
        return self


class StrategyDiscussion(Record):
    table: ClassVar[str] = "strategy_discussions"
    label: ClassVar[str] = "Strategy discussion"

    child_id: Annotated[str, Ref("children", "CASCADE"), Indexed()]
    date: Day
    s47_initiated: bool = True
    agencies: OptText = None
    notes: Note = None


class S47Enquiry(Record):
    table: ClassVar[str] = "s47_enquiries"
    label: ClassVar[str] = "Section 47 enquiry"

    child_id: Annotated[str, Ref("children", "CASCADE"), Indexed()]
    episode_id: Annotated[int | None, Ref("cin_episodes", "SET NULL")] = None
    strategy_discussion_id: Annotated[int | None, Ref("strategy_discussions", "SET NULL")] = None
    start_date: Day
    icpc_target: OptDay = None
    icpc_not_required: bool = False
    completed_date: OptDay = None

    @model_validator(mode="after")
    def _dates(self):
        _order(self, "start_date", "completed_date")
        _order(self, "start_date", "icpc_target")
        return self


# ---------------------------------------------------------------------------
# Plans and conferences


class CpPlan(Record):
    """A child protection plan."""

    table: ClassVar[str] = "cp_plans"
    label: ClassVar[str] = "Child protection plan"

    child_id: Annotated[str, Ref("children", "CASCADE"), Indexed()]
    episode_id: Annotated[int | None, Ref("cin_episodes", "SET NULL")] = None
    start_date: Day
    end_date: OptDay = None
    initial_category: Category
    latest_category: Category
    previous_plans: int = Field(default=0, ge=0, le=50)
    end_reason: PlanEndReason | None = None
    pre_birth: bool = False
    visit_frequency_wd: int | None = Field(default=None, ge=1, le=130)
    core_group_frequency_wd: int | None = Field(default=None, ge=1, le=130)
    contingency_plan: Note = None
    transferred_in_from: OptText = None

    @model_validator(mode="after")
    def _dates(self):
        # DfE 8840 (same day) and 8925 (end before start), CIN_RULES.md
        _order(
            self,
            "start_date",
            "end_date",
            strict=True,
            why="a plan cannot end on or before the day it starts; DfE rules 8840, 8925",
        )
        if self.end_date is None and self.end_reason is not None:
            raise ValueError("__field__end_reason: give the end date of the plan as well")
        return self


class Conference(Record):
    """One child's conference: initial, review, pre-birth or transfer-in.

    Siblings discussed together share ``meeting_ref``; each child has their own row because
    each child has their own plan and decision (as the CIN census records it).
    """

    table: ClassVar[str] = "conferences"
    label: ClassVar[str] = "Conference"

    child_id: Annotated[str, Ref("children", "CASCADE"), Indexed()]
    type: ConferenceType
    plan_id: Annotated[int | None, Ref("cp_plans", "SET NULL"), Indexed()] = None
    s47_id: Annotated[int | None, Ref("s47_enquiries", "SET NULL")] = None
    meeting_ref: Annotated[str | None, Indexed()] = None
    chair_id: Annotated[int | None, Ref("staff")] = None
    scheduled_date: Day
    scheduled_time: OptTime = None
    held_date: OptDay = None
    stood_down: bool = False
    stood_down_reason: Note = None
    bridging_plan: Note = None
    quorate: bool | None = None
    venue: Venue | None = None
    # Where it was held: 000 asks for the same venue for the life of the plan.
    venue_name: OptText = None
    # When the date was set, and when the invitations were requested (003 §2.11: by the
    # next working day).
    date_set_on: OptDay = None
    invitations_requested: OptDay = None
    split_conference: bool = False
    outcome: ConferenceOutcome | None = None
    category: Category | None = None
    dissent: bool = False
    dissent_detail: Note = None
    out_of_timescale_reason: Note = None
    participation: Participation | None = None
    # Signs of Safety analysis (001; DOMAIN.md §4)
    worried_about: Note = None
    working_well: Note = None
    child_views: Note = None
    needs_to_happen: Note = None
    danger_statements: Note = None
    safety_goals: Note = None
    # Arrangements set by the conference (002 standards 7-10)
    core_group_members: Note = None
    first_core_group_date: OptDay = None
    next_review_date: OptDay = None
    visit_frequency_wd: int | None = Field(default=None, ge=1, le=130)
    contingency_plan: Note = None
    # Distribution of what the conference produced (003 §4.9, §4.13, §4.14, §4.16)
    decisions_distributed: OptDay = None
    plan_distributed: OptDay = None
    minutes_distributed: OptDay = None
    birth_arrangements_distributed: OptDay = None
    feedback_sought: bool | None = None

    @model_validator(mode="after")
    def _consistent(self):
        if self.stood_down and self.outcome is not None:
            raise ValueError(
                "__field__outcome: a conference that was stood down has no outcome; record the "
                "reconvened conference separately"
            )
        if self.outcome is not None and self.held_date is None:
            raise ValueError("__field__held_date: give the date the conference was held")
        if self.held_date is not None and self.held_date > today():
            raise ValueError("__field__held_date: is in the future; use the scheduled date")
        initial_like = {
            ConferenceType.INITIAL,
            ConferenceType.PRE_BIRTH,
            ConferenceType.TRANSFER_IN,
        }
        if self.outcome in (ConferenceOutcome.PLAN_CONTINUES, ConferenceOutcome.PLAN_ENDS) and (
            self.type in initial_like
        ):
            raise ValueError(
                f"__field__outcome: {self.outcome} is a review outcome; an {self.type} "
                "conference makes a plan or does not"
            )
        if self.outcome == ConferenceOutcome.CP_PLAN and self.type == ConferenceType.REVIEW:
            raise ValueError(
                "__field__outcome: a review keeps or ends the plan (plan_continues or plan_ends)"
            )
        if self.outcome in (ConferenceOutcome.CP_PLAN, ConferenceOutcome.PLAN_CONTINUES) and (
            self.category is None
        ):
            raise ValueError("__field__category: a child protection plan needs a category")
        for name in (
            "decisions_distributed",
            "plan_distributed",
            "minutes_distributed",
            "first_core_group_date",
            "next_review_date",
        ):
            _order(self, "held_date", name)
        return self

    @property
    def date(self) -> dt.date:
        return self.held_date or self.scheduled_date


class Attendance(Record):
    """Who was invited to a conference, whether they came, and their view."""

    table: ClassVar[str] = "attendance"
    label: ClassVar[str] = "Attendance"

    conference_id: Annotated[int, Ref("conferences", "CASCADE"), Indexed()]
    agency: Agency
    person: OptText = None
    role: OptText = None
    status: AttendanceStatus
    scaling_score: int | None = Field(default=None, ge=0, le=10)
    view: PlanView | None = None
    category_view: Category | None = None
    dissent: bool = False

    @model_validator(mode="after")
    def _present(self):
        if self.status in (AttendanceStatus.APOLOGIES, AttendanceStatus.DID_NOT_ATTEND) and (
            self.scaling_score is not None
        ):
            raise ValueError(
                "__field__scaling_score: only someone who took part can give a scaling score"
            )
        return self


class AgencyReport(Record):
    """A report for a conference, and when the chair and the family received it.

    A time is optional: many systems record only the date. The engine says how a
    date-only record is treated against an hours rule (see the profile setting
    ``date_only_hours``).
    """

    table: ClassVar[str] = "agency_reports"
    label: ClassVar[str] = "Agency report"

    conference_id: Annotated[int, Ref("conferences", "CASCADE"), Indexed()]
    agency: Agency
    author: OptText = None
    received_by_chair: OptDay = None
    received_by_chair_time: OptTime = None
    shared_with_family: OptDay = None
    shared_with_family_time: OptTime = None
    confidential: bool = False

    @model_validator(mode="after")
    def _times(self):
        if self.received_by_chair_time is not None and self.received_by_chair is None:
            raise ValueError("__field__received_by_chair: give the date as well as the time")
        if self.shared_with_family_time is not None and self.shared_with_family is None:
            raise ValueError("__field__shared_with_family: give the date as well as the time")
        for name in ("received_by_chair", "shared_with_family"):
            value = getattr(self, name)
            if value is not None and value > today():
                raise ValueError(f"__field__{name}: is in the future")
        return self


class CoreGroup(Record):
    table: ClassVar[str] = "core_groups"
    label: ClassVar[str] = "Core group meeting"

    child_id: Annotated[str, Ref("children", "CASCADE"), Indexed()]
    plan_id: Annotated[int | None, Ref("cp_plans", "SET NULL"), Indexed()] = None
    meeting_ref: OptText = None
    date: Day
    status: CoreGroupStatus = CoreGroupStatus.HELD
    social_worker_attended: bool | None = None
    plan_updated: bool | None = None
    # When the updated plan was distributed after the meeting (003 §6.11: within 5 days).
    plan_distributed: OptDay = None
    notes: Note = None

    @model_validator(mode="after")
    def _held_not_future(self):
        if self.status == CoreGroupStatus.HELD and self.date > today():
            raise ValueError("__field__date: a held meeting cannot be in the future")
        return self


class Visit(Record):
    """A statutory visit by the social worker."""

    table: ClassVar[str] = "visits"
    label: ClassVar[str] = "Visit"

    child_id: Annotated[str, Ref("children", "CASCADE"), Indexed()]
    plan_id: Annotated[int | None, Ref("cp_plans", "SET NULL")] = None
    date: Day
    seen: bool = True
    seen_alone: bool = False
    bedroom_seen: bool = False
    visitor: OptText = None
    notes: Note = None

    @model_validator(mode="after")
    def _seen(self):
        if self.seen_alone and not self.seen:
            raise ValueError("__field__seen_alone: a child seen alone was seen; tick seen too")
        if self.date > today():
            raise ValueError("__field__date: a visit cannot be recorded before it happens")
        return self


class PlanAction(Record):
    """An action in the plan: who does what by when."""

    table: ClassVar[str] = "plan_actions"
    label: ClassVar[str] = "Plan action"

    child_id: Annotated[str, Ref("children", "CASCADE"), Indexed()]
    plan_id: Annotated[int | None, Ref("cp_plans", "SET NULL")] = None
    description: Annotated[str, LongText()] = Field(min_length=3)
    owner: str = Field(min_length=1, max_length=120)
    agency: Agency | None = None
    due_date: Day
    status: ActionStatus = ActionStatus.OPEN
    completed_date: OptDay = None
    source: ActionSource = ActionSource.CONFERENCE
    source_record_id: int | None = None
    set_date: OptDay = None

    @model_validator(mode="after")
    def _done(self):
        if self.status == ActionStatus.DONE and self.completed_date is None:
            raise ValueError("__field__completed_date: give the date the action was done")
        if self.status != ActionStatus.DONE and self.completed_date is not None:
            raise ValueError("__field__status: an action with a completed date is done")
        _order(self, "set_date", "due_date")
        return self


# ---------------------------------------------------------------------------
# The chair's records


class CaseTrackingRecord(Record):
    """A chair's check on a child's plan between conferences (DOMAIN.md §4)."""

    table: ClassVar[str] = "case_tracking"
    label: ClassVar[str] = "Case-tracking record"

    child_id: Annotated[str, Ref("children", "CASCADE"), Indexed()]
    plan_id: Annotated[int | None, Ref("cp_plans", "SET NULL")] = None
    chair_id: Annotated[int | None, Ref("staff")] = None
    kind: TrackingKind = TrackingKind.CASE_TRACKING
    date: Day
    checked_core_groups: bool = False
    checked_visits: bool = False
    checked_actions: bool = False
    checked_reports: bool = False
    observations: Annotated[str, LongText()] = Field(min_length=1)
    concerns: Note = None
    decision: TrackingDecision = TrackingDecision.NO_ACTION
    next_check_date: OptDay = None
    escalation_id: Annotated[int | None, Ref("escalations", "SET NULL")] = None

    @model_validator(mode="after")
    def _dates(self):
        _order(self, "date", "next_check_date", strict=True)
        if self.date > today():
            raise ValueError("__field__date: a check cannot be recorded before it happens")
        return self


class MidwayReview(Record):
    """The chair's midway review of a plan (004 §4.14; DOMAIN.md §4).

    ``outcomes`` holds one entry per plan outcome: ``{"outcome", "rag", "evidence"}``.
    """

    table: ClassVar[str] = "midway_reviews"
    label: ClassVar[str] = "Midway review"

    child_id: Annotated[str, Ref("children", "CASCADE"), Indexed()]
    plan_id: Annotated[int | None, Ref("cp_plans", "SET NULL")] = None
    conference_id: Annotated[int | None, Ref("conferences", "SET NULL")] = None
    chair_id: Annotated[int | None, Ref("staff")] = None
    date: Day
    outcomes: list[dict[str, Any]] = Field(default_factory=list)
    risks_reducing: RisksReducing | None = None
    risks_evidence: Note = None
    child_voice_heard: bool | None = None
    child_voice_evidence: Note = None
    contingency_still_right: bool | None = None
    contingency_note: Note = None
    core_group_compliance: Note = None
    visit_compliance: Note = None
    decision: MidwayDecision | None = None
    decision_rationale: Note = None

    @field_validator("outcomes")
    @classmethod
    def _outcomes(cls, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        for i, item in enumerate(value, 1):
            if not str(item.get("outcome", "")).strip():
                raise ValueError(f"outcome {i} has no description")
            if item.get("rag") not in {r.value for r in Rag}:
                raise ValueError(f"outcome {i}: progress must be red, amber or green")
        return value


class ConferencePreparation(Record):
    """The chair's preparation checklist for one conference (DOMAIN.md §4).

    ``items`` maps a checklist item id (declared in the authority's profile) to
    ``{"answer": "yes" | "no" | "n/a", "note": str}``.
    """

    table: ClassVar[str] = "conference_preparations"
    label: ClassVar[str] = "Conference preparation"

    conference_id: Annotated[int, Ref("conferences", "CASCADE"), Indexed()]
    chair_id: Annotated[int | None, Ref("staff")] = None
    consultation_date: OptDay = None
    family_met_date: OptDay = None
    items: dict[str, dict[str, Any]] = Field(default_factory=dict)
    notes: Note = None


class Escalation(Record):
    """A concern escalated by the chair (004 §4.15; 003 §5.10; DOMAIN.md §4)."""

    table: ClassVar[str] = "escalations"
    label: ClassVar[str] = "Escalation"

    child_id: Annotated[str, Ref("children", "CASCADE"), Indexed()]
    plan_id: Annotated[int | None, Ref("cp_plans", "SET NULL")] = None
    raised_by: Annotated[int | None, Ref("staff")] = None
    raised_on: Day
    stage: str = Field(min_length=1, max_length=60)
    reason: Annotated[str, LongText()] = Field(min_length=3)
    raised_with: str = Field(min_length=1, max_length=120)
    response_due: Day
    response: Note = None
    response_date: OptDay = None
    outcome: Note = None
    status: EscalationStatus = EscalationStatus.OPEN
    source_kind: OptText = None
    source_record_id: int | None = None

    @model_validator(mode="after")
    def _dates(self):
        _order(self, "raised_on", "response_due")
        _order(self, "raised_on", "response_date")
        if self.status == EscalationStatus.RESOLVED and not self.outcome:
            raise ValueError("__field__outcome: say how the escalation was resolved")
        return self


# ---------------------------------------------------------------------------
# Quality assurance


class PracticeObservation(Record):
    """A QA lead's observation of a chair at a conference (000, last standard).

    ``ratings`` holds one entry per criterion: ``{"criterion", "rating", "evidence"}``,
    criterion ids declared in the observation framework of the authority's profile.
    """

    table: ClassVar[str] = "observations"
    label: ClassVar[str] = "Practice observation"

    chair_id: Annotated[int, Ref("staff"), Indexed()]
    observer_id: Annotated[int | None, Ref("staff")] = None
    conference_id: Annotated[int | None, Ref("conferences", "SET NULL")] = None
    date: Day
    framework: str = "national"
    ratings: list[dict[str, Any]] = Field(default_factory=list)
    strengths: Note = None
    development_points: Note = None
    overall_judgement: Rating | None = None
    overall_rationale: Note = None
    chair_reflection: Note = None
    chair_acknowledged: OptDay = None
    status: ObservationStatus = ObservationStatus.DRAFT

    @field_validator("ratings")
    @classmethod
    def _ratings(cls, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        allowed = {r.value for r in Rating}
        seen: set[str] = set()
        for item in value:
            if not item.get("criterion"):
                raise ValueError("every rating names its criterion")
            if set(item) - {"criterion", "domain", "rating", "evidence"}:
                raise ValueError(
                    f"criterion {item['criterion']}: a rating holds criterion, domain, rating "
                    "and evidence only"
                )
            if item.get("rating") not in allowed:
                raise ValueError(
                    f"criterion {item.get('criterion')}: rating {item.get('rating')!r} is not "
                    "on the scale"
                )
            if item["criterion"] in seen:
                raise ValueError(f"criterion {item['criterion']} is rated twice")
            seen.add(item["criterion"])
        return value

    @model_validator(mode="after")
    def _stages(self):
        """A draft may be incomplete; once submitted it has its overall judgement and
        rationale, and it is complete only with the chair's reflection and acknowledgement."""
        if self.overall_judgement == Rating.NOT_OBSERVED:
            raise ValueError(
                "__field__overall_judgement: the overall judgement is Outstanding, Good, "
                "Requires improvement to be good or Inadequate"
            )
        if self.observer_id is not None and self.observer_id == self.chair_id:
            raise ValueError("__field__observer_id: a chair cannot observe themselves")
        if self.status != ObservationStatus.DRAFT:
            if self.overall_judgement is None:
                raise ValueError(
                    "__field__overall_judgement: give the overall judgement before the "
                    "observation goes to the chair"
                )
            if not self.overall_rationale:
                raise ValueError(
                    "__field__overall_rationale: say why you reached the overall judgement"
                )
        if self.status == ObservationStatus.COMPLETE:
            if not self.chair_reflection:
                raise ValueError(
                    "__field__chair_reflection: the observation is complete once the chair "
                    "has added their reflection"
                )
            if self.chair_acknowledged is None:
                raise ValueError(
                    "__field__chair_acknowledged: give the date the chair acknowledged the "
                    "observation"
                )
        _order(
            self, "date", "chair_acknowledged", why="the chair acknowledges after the observation"
        )
        return self


class Feedback(Record):
    """Feedback after a conference from a child, parent or carer, or professional."""

    table: ClassVar[str] = "feedback"
    label: ClassVar[str] = "Feedback"

    conference_id: Annotated[int, Ref("conferences", "CASCADE"), Indexed()]
    respondent: Respondent
    simple_wording: bool = False
    date: Day
    status: FeedbackStatus = FeedbackStatus.RECEIVED
    answers: dict[str, int] = Field(default_factory=dict)
    comments: Note = None
    agency: Agency | None = None

    @field_validator("answers")
    @classmethod
    def _scores(cls, value: dict[str, int]) -> dict[str, int]:
        for key, score in value.items():
            if not 1 <= int(score) <= 5:
                raise ValueError(f"{key}: answers are scored 1 to 5")
        return value

    @model_validator(mode="after")
    def _received_or_not(self):
        if self.status != FeedbackStatus.RECEIVED and (self.answers or self.comments):
            raise ValueError(
                f"__field__status: feedback that was {self.status.replace('_', ' ')} has no "
                "answers or comments; choose received"
            )
        if self.status == FeedbackStatus.RECEIVED and not (self.answers or self.comments):
            raise ValueError(
                "__field__answers: received feedback has at least one answer or a comment"
            )
        if self.simple_wording and self.respondent != Respondent.CHILD:
            raise ValueError(
                "__field__simple_wording: the simpler wording is for children's feedback"
            )
        if self.agency is not None and self.respondent != Respondent.PROFESSIONAL:
            raise ValueError("__field__agency: only a professional's feedback names an agency")
        return self


# ---------------------------------------------------------------------------
# Imports


class SourceExtra(Record):
    """Something an import found about a child that cptrack does not model, kept as it came.

    A CIN census element outside the part of the DfE specification cptrack reads (for
    example the 2026 pre-proceedings module), or an Annex A column with no field here, is
    stored against the child with where it was found, so nothing in a file is dropped
    without trace. ``element`` is the place in the file (an XML path or a column heading);
    ``content`` is the XML or the cell's text.
    """

    table: ClassVar[str] = "source_extras"
    label: ClassVar[str] = "Kept-aside source data"

    child_id: Annotated[str, Ref("children", "CASCADE"), Indexed()]
    source: str = Field(min_length=1, max_length=120)
    element: str = Field(min_length=1, max_length=150)
    content: Annotated[str, LongText()]


# ---------------------------------------------------------------------------
# Settings


class Setting(Record):
    """One stored setting (see ``cptrack.storage.settings`` for the declared names)."""

    table: ClassVar[str] = "settings"
    label: ClassVar[str] = "Setting"
    id_type: ClassVar[type] = str

    id: str  # type: ignore[assignment]
    value: Any = None


KINDS: tuple[type[Record], ...] = (
    Team,
    Staff,
    Child,
    CinEpisode,
    CinPlan,
    StrategyDiscussion,
    S47Enquiry,
    CpPlan,
    Conference,
    Attendance,
    AgencyReport,
    CoreGroup,
    Visit,
    PlanAction,
    Escalation,
    CaseTrackingRecord,
    MidwayReview,
    ConferencePreparation,
    PracticeObservation,
    Feedback,
    SourceExtra,
    Setting,
)

BY_TABLE: dict[str, type[Record]] = {k.table: k for k in KINDS}


def kind(table: str) -> type[Record]:
    """The record class stored in ``table``; a clear error for an unknown name."""
    try:
        return BY_TABLE[table]
    except KeyError:
        raise KeyError(
            f"no record kind {table!r}; known kinds: {', '.join(sorted(BY_TABLE))}"
        ) from None
