"""The 25 steps of the membership pipeline as data (《中国共产党发展党员工作细则》).

Each :class:`StepSpec` says in which stage the step is recorded, which stage it moves the
candidate to, whether it may be recorded more than once (the assessments), and the minimum
interval it must keep from an earlier step. :mod:`recruitment.services` reads this table; the
rules that need more than a date (introducers, votes, training) are named by ``check``.
"""

from __future__ import annotations

from dataclasses import dataclass

from .choices import Stage, StepCode

#: An applicant must be at least this old on the day of the application (细则 第六条).
MIN_AGE = 18
#: The talk with an applicant is due within this many months of the application (第八条).
TALK_WITHIN_MONTHS = 1
#: An activist is decided as development target after at least this many months (第十四条).
ACTIVIST_MIN_MONTHS = 12
#: The higher committee approves an admission within this many months of the vote (第二十八条).
APPROVAL_WITHIN_MONTHS = 3
#: Probation lasts this many months from the branch meeting's resolution (第三十一条).
PROBATION_MONTHS = 12
#: Concentrated training: at least this many days or class hours (第十九条).
TRAINING_MIN_DAYS = 3
TRAINING_MIN_HOURS = 24
#: Contact persons (培养联系人) per activist, and introducers (入党介绍人) per target.
CONTACTS_MIN, CONTACTS_MAX = 1, 2
INTRODUCERS = 2
#: The probation-ending warning of the overdue list.
PROBATION_WARNING_DAYS = 30


@dataclass(frozen=True)
class Interval:
    """``months`` calendar months at least between the step named ``since`` and this one."""

    since: StepCode
    months: int


@dataclass(frozen=True)
class StepSpec:
    number: int
    code: StepCode
    #: The stage the candidate must be in to record the step.
    stage: Stage
    #: The stage the step moves the candidate to (``None``: stays).
    enters: Stage | None = None
    repeatable: bool = False
    minimum: Interval | None = None
    #: The name of the extra rule in ``recruitment.rules`` (introducers, a vote, training...).
    check: str = ""

    @property
    def label(self):
        return self.code.label


S, C = Stage, StepCode
STEPS: tuple[StepSpec, ...] = (
    # 一、申请入党
    StepSpec(1, C.APPLICATION, S.APPLICANT, check="age"),
    StepSpec(2, C.TALK, S.APPLICANT, check="talk"),
    # 二、入党积极分子的确定和培养教育
    StepSpec(3, C.RECOMMENDATION, S.APPLICANT, enters=S.ACTIVIST, check="recommendation"),
    StepSpec(4, C.ACTIVIST_FILED, S.ACTIVIST),
    StepSpec(5, C.CONTACTS, S.ACTIVIST, check="contacts"),
    StepSpec(6, C.ACTIVIST_ASSESSMENT, S.ACTIVIST, repeatable=True),
    # 三、发展对象的确定和考察
    StepSpec(
        7,
        C.TARGET_DECIDED,
        S.ACTIVIST,
        enters=S.TARGET,
        minimum=Interval(C.RECOMMENDATION, ACTIVIST_MIN_MONTHS),
    ),
    StepSpec(8, C.TARGET_FILED, S.TARGET),
    StepSpec(9, C.INTRODUCERS, S.TARGET, check="introducers"),
    StepSpec(10, C.POLITICAL_REVIEW, S.TARGET),
    StepSpec(11, C.TRAINING, S.TARGET, check="training"),
    # 四、预备党员的接收
    StepSpec(12, C.COMMITTEE_REVIEW, S.TARGET),
    StepSpec(13, C.PRE_REVIEW, S.TARGET),
    StepSpec(14, C.VOLUNTEER_FORM, S.TARGET),
    StepSpec(15, C.ADMISSION_VOTE, S.TARGET, check="vote"),
    StepSpec(16, C.UPPER_TALK, S.TARGET),
    StepSpec(17, C.ADMISSION_APPROVAL, S.TARGET, enters=S.PROBATIONARY, check="admit"),
    StepSpec(18, C.ADMISSION_FILED, S.PROBATIONARY),
    # 五、预备党员的教育考察和转正
    StepSpec(19, C.PLACED, S.PROBATIONARY),
    StepSpec(20, C.OATH, S.PROBATIONARY),
    StepSpec(21, C.PROBATION_ASSESSMENT, S.PROBATIONARY, repeatable=True),
    StepSpec(22, C.FULL_APPLICATION, S.PROBATIONARY),
    StepSpec(
        23,
        C.FULL_VOTE,
        S.PROBATIONARY,
        minimum=Interval(C.ADMISSION_VOTE, PROBATION_MONTHS),
        check="vote",
    ),
    StepSpec(24, C.FULL_APPROVAL, S.PROBATIONARY, enters=S.FULL, check="confirm"),
    StepSpec(25, C.ARCHIVED, S.FULL),
)

BY_CODE: dict[str, StepSpec] = {spec.code.value: spec for spec in STEPS}
BY_NUMBER: dict[int, StepSpec] = {spec.number: spec for spec in STEPS}
assert len(STEPS) == 25 and sorted(BY_NUMBER) == list(range(1, 26))

#: The stages in order, for boards and figures.
STAGES: tuple[Stage, ...] = (S.APPLICANT, S.ACTIVIST, S.TARGET, S.PROBATIONARY, S.FULL)


def spec(code: str) -> StepSpec:
    return BY_CODE[code]


def next_steps(last_number: int) -> list[StepSpec]:
    """The steps that may be recorded after step ``last_number`` (0: none yet): the next one,
    and the last one again when it is an assessment."""
    out = []
    last = BY_NUMBER.get(last_number)
    if last is not None and last.repeatable:
        out.append(last)
    following = BY_NUMBER.get(last_number + 1)
    if following is not None:
        out.append(following)
    return out
