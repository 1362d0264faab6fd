"""What the synthetic caseload is drawn from: England's shares, and invented wording.

The shares of families at each stage, of plans ending at each review, of initial conferences
within 15 working days, of repeat plans and of categories and ethnicities are England's
(DOMAIN.md §3), so the DfE measures of the demo land near the published figures. The
wording (reasons a conference was late or stood down, worries, safety goals, contingency
plans, a chair's case-tracking observations, venues) and the agencies invited at each age of
child are invented for the demo.
"""

from __future__ import annotations

from cptrack.domain.models import Agency

# Shares of families at each stage, per 100 families. Families are dealt from shuffled decks
# of 100 with the families awaiting an initial conference spread evenly through each deck,
# so any stretch of the caseload has its share: new enquiries arrive every week.
STAGES = {
    "awaiting_icpc": 7,
    "no_plan": 6,
    "open": 65,
    "ended": 17,
    "pre_birth": 5,
}
# The review conference at which a plan ends (1 = the first review, 3 months after the plan
# starts; each later one 6 months on), per 1,000 plans ending. Plans ending at the 5th review
# or later have lasted 2 years or more: 4.4%, as in England (DOMAIN.md §3). Open plans are
# drawn from the same lengths, weighted by length (a long plan is open for longer), which
# puts about 2% of open plans past 2 years (England: 2.3%).
PLAN_ENDS_AT_REVIEW = ((1, 200), (2, 390), (3, 220), (4, 146), (5, 30), (6, 10), (7, 4))
# Working days from the strategy discussion to the initial conference, per 100 conferences:
# 81% within 15 working days, median 14, as in England (DOMAIN.md §3). The first five ranges
# end by day 14, the sixth is day 15, the last three are late.
ICPC_WORKING_DAYS = (
    ((5, 10), 22),
    ((11, 11), 4),
    ((12, 12), 5),
    ((13, 13), 9),
    ((14, 14), 16),
    ((15, 15), 25),
    ((16, 20), 12),
    ((21, 30), 5),
    ((31, 45), 2),
)
# Of the plans starting, the share that are a second or subsequent plan (England: 24.5%).
# Unborn children have none, and some children's earlier plans here also started in the
# last year, so the families on a plan now are given a little more.
REPEAT_SHARE = 0.26
REVIEW_LATE_SHARE = 0.07
# Steps of the low-discrepancy sequences (``Chunk.spread``): irrational and unrelated,
# so the draws of one sequence do not follow another's.
SPREAD_STEPS = {
    "open": 0.6180339887,
    "part": 0.4142135624,
    "ended": 0.7320508076,
    "ended when": 0.2360679775,
    "earlier": 0.5857864376,
}
CATEGORIES = (("NEG", 48), ("EMO", 36), ("PHY", 7), ("SAB", 4), ("MUL", 5))
ETHNICITIES = (
    ("WBRI", 68),
    ("WOTH", 6),
    ("MWBC", 4),
    ("MOTH", 3),
    ("APKN", 3),
    ("AIND", 2),
    ("BAFR", 3),
    ("BCRB", 1),
    ("AOTH", 2),
    ("WROM", 1),
    ("OOTH", 2),
    ("NOBT", 5),
)
LANGUAGES = ("Polish", "Urdu", "Romanian", "Arabic", "Bengali", "Somali", "Portuguese")
LATE_REASONS = (
    "Family asked for a later date to attend with their advocate",
    "No chair available within timescale",
    "Key reports not received; conference rearranged",
    "Interpreter not available on the first date",
    "Strategy discussion recorded late; request for conference received on day 12",
    "Venue unavailable; family declined a virtual meeting",
)
HOLDING_REPLY = (
    "Holding reply: the team manager is reviewing the case with the service manager and will "
    "respond in full within a week."
)
STAND_DOWN_REASONS = (
    "Social worker's report not available",
    "Not quorate: police and health did not attend",
    "Parent unwell on the day; chair agreed to reconvene",
)
WORRIES = (
    "Home conditions are poor and the children are often hungry at school.",
    "Domestic abuse between the adults; the children have witnessed incidents.",
    "Parental alcohol misuse affects the care the children receive.",
    "Bruising to the child's arm with no consistent explanation.",
    "Mother's mental health has deteriorated and she is not taking medication.",
)
WORKING_WELL = (
    "Grandmother visits daily and the children are close to her.",
    "The children attend school regularly and are doing well.",
    "Father has engaged with the substance misuse service.",
    "Mother has attended every core group and is honest about the worries.",
)
SAFETY_GOALS = (
    "The children will live in a home free from violence, with adults who keep them safe.",
    "The children will be fed, clean and in school every day.",
    "The adults caring for the baby will be sober and able to respond to her needs.",
)
CONTINGENCY = (
    "If the safety plan breaks down the social worker will seek legal advice (PLO).",
    "If father returns to the home, a strategy discussion will be held the same day.",
    "If attendance at school falls below 90% the core group will meet within 5 days.",
)
AGENCIES_UNBORN = (Agency.SOCIAL_CARE, Agency.POLICE, Agency.MIDWIFE, Agency.GP)
AGENCIES_BABY = (Agency.SOCIAL_CARE, Agency.POLICE, Agency.HEALTH_VISITOR, Agency.GP)
AGENCIES_TODDLER = (Agency.SOCIAL_CARE, Agency.POLICE, Agency.HEALTH_VISITOR, Agency.EARLY_YEARS)
AGENCIES_SCHOOL = (Agency.SOCIAL_CARE, Agency.POLICE, Agency.SCHOOL, Agency.SCHOOL_NURSE)
AGENCIES_EXTRA = (
    Agency.PROBATION,
    Agency.MENTAL_HEALTH,
    Agency.SUBSTANCE_MISUSE,
    Agency.HOUSING,
)
OBSERVATIONS = (
    "Core groups held as planned; visits on time; children seen alone.",
    "One core group cancelled; rearranged within two weeks. Actions progressing.",
    "Visits have slipped to three-weekly; advised social worker to restore frequency.",
    "Reports for the review not yet received from health; chased.",
)
VENUE_NAMES = (
    "Civic Centre, Committee Room 2",
    "Family Centre, Meeting Room 1",
    "Children's Services, Riverside House",
    "Community Hub, Room 4",
)
