"""The pipeline from application to full member, and each of the party's rules refused with
a field-level error and nothing written."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from core.models import AuditEvent
from members.choices import MemberStatus
from members.models import PartyMember
from recruitment import services, steps
from recruitment.choices import Stage, StepCode
from recruitment.models import Candidate, Step

from .. import factories as f
from .conftest import apply, days_ago, plan, walk

C = StepCode


def test_the_25_steps_are_data_in_order():
    assert [s.number for s in steps.STEPS] == list(range(1, 26))
    assert {s.code for s in steps.STEPS} == set(StepCode)
    entering = [(s.code, s.enters) for s in steps.STEPS if s.enters]
    assert entering == [
        (C.RECOMMENDATION, Stage.ACTIVIST),
        (C.TARGET_DECIDED, Stage.TARGET),
        (C.ADMISSION_APPROVAL, Stage.PROBATIONARY),
        (C.FULL_APPROVAL, Stage.FULL),
    ]


def test_a_full_pipeline_from_application_to_full_member(world, branch):
    actor = world.secretary_delivery
    candidate = apply(world)
    assert candidate.stage == Stage.APPLICANT and candidate.last_step == 1
    assert candidate.birth_date is not None
    walk(candidate, branch, actor, until=C.ADMISSION_APPROVAL)
    assert candidate.stage == Stage.TARGET
    assert not PartyMember.objects.filter(name="王小明").exists()

    vote_on = candidate.applied_on + dt.timedelta(days=490)
    services.step_record(
        actor=actor, candidate=candidate, step=C.ADMISSION_APPROVAL, on=vote_on + dt.timedelta(30)
    )
    candidate.refresh_from_db()
    member = candidate.member
    assert candidate.stage == Stage.PROBATIONARY
    assert member.status == MemberStatus.PROBATIONARY
    assert member.organization == world.branch_delivery
    assert member.joined_on == vote_on  # probation runs from the meeting's resolution
    assert member.probation_due == vote_on.replace(year=vote_on.year + 1)

    _walk_from(candidate, branch, actor, C.ADMISSION_APPROVAL, until=None)
    candidate.refresh_from_db()
    member.refresh_from_db()
    assert candidate.stage == Stage.FULL and candidate.last_step == 25
    assert member.status == MemberStatus.FULL
    assert Step.objects.filter(candidate=candidate).count() == 26  # two assessments as activist
    # Every step wrote its audit row.
    assert AuditEvent.objects.filter(verb="step_full_approval").exists()


def _walk_from(candidate, branch, actor, start: str, until: str | None):
    """Record the plan's steps from ``start`` (excluded: already there) up to ``until``."""
    started = False
    for code, offset, details in plan(branch):
        if code == until:
            return
        if started:
            services.step_record(
                actor=actor,
                candidate=candidate,
                step=code,
                on=candidate.applied_on + dt.timedelta(days=offset),
                **details,
            )
            candidate.refresh_from_db()
        if code == start:
            started = True


def _refused(candidate, *, field: str, actor, step: str, on, **details):
    """The step is refused with an error on ``field``; no step, no audit row, no change."""
    candidate.refresh_from_db()
    before = (Step.objects.count(), AuditEvent.objects.count(), PartyMember.objects.count())
    stage, last = candidate.stage, candidate.last_step
    with pytest.raises(ValidationError) as info:
        services.step_record(actor=actor, candidate=candidate, step=step, on=on, **details)
    assert field in info.value.message_dict, info.value.message_dict
    assert (Step.objects.count(), AuditEvent.objects.count(), PartyMember.objects.count()) == before
    candidate.refresh_from_db()
    assert (candidate.stage, candidate.last_step) == (stage, last)
    return info.value.message_dict[field]


def test_a_step_out_of_order_is_refused(world, branch):
    candidate = apply(world)
    _refused(
        candidate,
        field="step",
        actor=world.secretary_delivery,
        step=C.RECOMMENDATION,
        on=days_ago(1),
    )
    _refused(
        candidate, field="step", actor=world.secretary_delivery, step="nonsense", on=days_ago(1)
    )
    services.step_record(
        actor=world.secretary_delivery, candidate=candidate, step=C.TALK, on=days_ago(1000)
    )
    # The talk is not repeatable.
    _refused(candidate, field="step", actor=world.secretary_delivery, step=C.TALK, on=days_ago(900))


def test_a_step_before_the_previous_one_or_in_the_future_is_refused(world, branch):
    candidate = apply(world)
    actor = world.secretary_delivery
    early = candidate.applied_on - dt.timedelta(days=1)
    _refused(candidate, field="on", actor=actor, step=C.TALK, on=early)
    with pytest.raises(ValidationError) as info:
        services.step_record(actor=actor, candidate=candidate, step=C.TALK, on=days_ago(-1))
    assert "on" in info.value.message_dict


def test_an_applicant_under_18_is_refused_and_nothing_is_written(world):
    young = f.resident_id_for(1)
    from core.identity import check_resident_id

    birth = check_resident_id(young).birth_date
    on = birth.replace(year=birth.year + 18) - dt.timedelta(days=1)
    before = (Candidate.objects.count(), Step.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as info:
        apply(world, on=on)
    assert "id_number" in info.value.message_dict
    assert (Candidate.objects.count(), Step.objects.count(), AuditEvent.objects.count()) == before
    # The day they turn 18 is fine.
    apply(world, on=on + dt.timedelta(days=1))


def test_an_activist_of_less_than_a_year_is_not_a_development_target(world, branch):
    actor = world.secretary_delivery
    candidate = apply(world)
    walk(candidate, branch, actor, until=C.TARGET_DECIDED)
    recommended = candidate.applied_on + dt.timedelta(days=60)
    too_early = recommended.replace(year=recommended.year + 1) - dt.timedelta(days=1)
    _refused(candidate, field="on", actor=actor, step=C.TARGET_DECIDED, on=too_early)
    services.step_record(
        actor=actor, candidate=candidate, step=C.TARGET_DECIDED, on=too_early + dt.timedelta(1)
    )


def test_contacts_must_be_one_or_two_full_members(world, branch):
    actor = world.secretary_delivery
    candidate = apply(world)
    walk(candidate, branch, actor, until=C.CONTACTS)
    on = candidate.applied_on + dt.timedelta(days=75)
    ids = [m.pk for m in branch.members]
    _refused(candidate, field="contacts", actor=actor, step=C.CONTACTS, on=on, contacts=[])
    _refused(candidate, field="contacts", actor=actor, step=C.CONTACTS, on=on, contacts=ids[:3])
    message = _refused(
        candidate,
        field="contacts",
        actor=actor,
        step=C.CONTACTS,
        on=on,
        contacts=[branch.probationary.pk],
    )
    assert branch.probationary.name in message[0]


def test_introducers_must_be_two_full_members_in_scope(world, branch):
    actor = world.secretary_delivery
    candidate = apply(world)
    walk(candidate, branch, actor, until=C.INTRODUCERS)
    on = candidate.applied_on + dt.timedelta(days=440)
    ids = [m.pk for m in branch.members]
    outsider = f.PartyMemberFactory(organization=world.branch_express)
    for introducers in (
        ids[:1],  # one only
        [ids[0], branch.probationary.pk],  # a probationary member
        [ids[0], outsider.pk],  # outside the secretary's scope: like an unknown id
        [ids[0], 987654321],
        [ids[0], ids[0]],
    ):
        _refused(
            candidate,
            field="introducers",
            actor=actor,
            step=C.INTRODUCERS,
            on=on,
            introducers=introducers,
        )
    step = services.step_record(
        actor=actor, candidate=candidate, step=C.INTRODUCERS, on=on, introducers=ids[:2]
    )
    assert [p["id"] for p in step.details["introducers"]] == ids[:2]


@pytest.mark.parametrize(
    ("counts", "field"),
    [
        ({"voting_members": 10, "present": 5, "in_favour": 5}, "present"),  # no quorum
        ({"voting_members": 10, "present": 8, "in_favour": 5}, "in_favour"),  # not carried
        ({"voting_members": 10, "present": 11, "in_favour": 6}, "present"),
        ({"voting_members": 10, "present": 7, "in_favour": 8}, "in_favour"),
        ({"voting_members": 10, "present": 7}, "in_favour"),
    ],
)
def test_a_vote_without_quorum_or_majority_is_refused(world, branch, counts, field):
    actor = world.secretary_delivery
    candidate = apply(world)
    walk(candidate, branch, actor, until=C.ADMISSION_VOTE)
    on = candidate.applied_on + dt.timedelta(days=490)
    _refused(candidate, field=field, actor=actor, step=C.ADMISSION_VOTE, on=on, **counts)


def test_a_vote_counts_the_branch_roster_when_no_figure_is_given(world, branch):
    actor = world.secretary_delivery
    candidate = apply(world)
    walk(candidate, branch, actor, until=C.ADMISSION_VOTE)
    on = candidate.applied_on + dt.timedelta(days=490)
    # 5 full members on the roster: 3 present is a quorum, 2 in favour is not a majority.
    _refused(
        candidate,
        field="in_favour",
        actor=actor,
        step=C.ADMISSION_VOTE,
        on=on,
        present=3,
        in_favour=2,
    )
    step = services.step_record(
        actor=actor, candidate=candidate, step=C.ADMISSION_VOTE, on=on, present=3, in_favour=3
    )
    assert step.details["voting_members"] == 5


def test_training_below_3_days_and_24_hours_is_refused(world, branch):
    actor = world.secretary_delivery
    candidate = apply(world)
    walk(candidate, branch, actor, until=C.TRAINING)
    on = candidate.applied_on + dt.timedelta(days=460)
    _refused(candidate, field="hours", actor=actor, step=C.TRAINING, on=on, hours="23.5", days=2)
    services.step_record(actor=actor, candidate=candidate, step=C.TRAINING, on=on, days=3)


def test_training_is_proven_from_a_class_s_attendance(world, branch):
    from django.utils import timezone

    from training.models import Attendance, Enrollment, Session, TrainingClass

    actor = world.secretary_delivery
    worker = f.WorkerFactory(
        industry=world.delivery,
        region=world.street_a,
        enterprise=world.ent_delivery_a,
        id_number=f.resident_id_for(7),
    )
    candidate = services.candidate_create(
        actor=actor,
        data={
            "worker": worker,
            "organization": world.branch_delivery,
            "applied_on": days_ago(3 * 365),
        },
    )
    assert candidate.name == worker.name and candidate.industry == world.delivery
    walk(candidate, branch, actor, until=C.TRAINING)
    on = candidate.applied_on + dt.timedelta(days=460)
    start = on - dt.timedelta(days=10)
    klass = TrainingClass.objects.create(
        name="发展对象培训班",
        organizer=world.branch_delivery,
        starts_on=start,
        ends_on=start + dt.timedelta(days=5),
        capacity=30,
    )
    enrollment = Enrollment.objects.create(training_class=klass, worker=worker)
    tz = timezone.get_current_timezone()
    for day in range(3):
        begins = dt.datetime.combine(start + dt.timedelta(days=day), dt.time(9), tzinfo=tz)
        session = Session.objects.create(
            training_class=klass,
            starts_at=begins,
            ends_at=begins + dt.timedelta(hours=4),
            hours="4",
        )
        if day < 2:
            Attendance.objects.create(
                session=session, worker=worker, enrollment=enrollment, channel="code"
            )
    # Two days and 8 hours attended: refused on the class.
    _refused(
        candidate,
        field="training_class",
        actor=actor,
        step=C.TRAINING,
        on=on,
        training_class=klass.pk,
    )
    Attendance.objects.create(session=session, worker=worker, enrollment=enrollment, channel="code")
    step = services.step_record(
        actor=actor, candidate=candidate, step=C.TRAINING, on=on, training_class=klass.pk
    )
    assert step.details["proven"] is True and step.details["days"] == 3
    assert step.details["hours"] == "12.0"


def test_full_vote_only_after_a_year_of_probation(world, branch):
    actor = world.secretary_delivery
    candidate = apply(world)
    walk(candidate, branch, actor, until=C.FULL_VOTE)
    vote = candidate.applied_on + dt.timedelta(days=490)
    early = vote.replace(year=vote.year + 1) - dt.timedelta(days=1)
    _refused(
        candidate,
        field="on",
        actor=actor,
        step=C.FULL_VOTE,
        on=early,
        voting_members=5,
        present=5,
        in_favour=5,
    )


def test_a_candidate_outside_scope_is_like_an_unknown_one(world, branch):
    candidate = apply(world)
    _refused(
        candidate, field="candidate", actor=world.secretary_express, step=C.TALK, on=days_ago(1)
    )


def test_an_application_to_an_organization_outside_scope_writes_nothing(world):
    before = (Candidate.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as info:
        apply(world, actor=world.secretary_express)
    assert "organization" in info.value.message_dict
    assert (Candidate.objects.count(), AuditEvent.objects.count()) == before


def test_a_duplicate_member_id_number_refuses_the_admission(world, branch):
    actor = world.secretary_delivery
    candidate = apply(world, id_n=11)
    walk(candidate, branch, actor, until=C.ADMISSION_APPROVAL)
    f.PartyMemberFactory(organization=world.branch_delivery, id_number=f.resident_id_for(11))
    on = candidate.applied_on + dt.timedelta(days=520)
    _refused(candidate, field="id_number", actor=actor, step=C.ADMISSION_APPROVAL, on=on)


def test_a_worker_enters_the_pipeline_once_and_a_member_never(world, branch):
    actor = world.secretary_delivery
    worker = f.WorkerFactory(
        industry=world.delivery,
        enterprise=world.ent_delivery_a,
        region=world.street_a,
        id_number=f.resident_id_for(21),
    )
    data = {"worker": worker, "organization": world.branch_delivery, "applied_on": days_ago(9)}
    services.candidate_create(actor=actor, data=data)
    with pytest.raises(ValidationError) as info:
        services.candidate_create(actor=actor, data=data)
    assert "worker" in info.value.message_dict
    member = branch.members[0]
    before = (Candidate.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as info:
        apply(world, id_n=0, id_number=member.id_number)
    assert "id_number" in info.value.message_dict
    assert (Candidate.objects.count(), AuditEvent.objects.count()) == before


def test_overdue_lists_each_kind_and_counts_alike(world, branch):
    from recruitment import selectors

    actor = world.secretary_delivery
    apply(world, id_n=31, on=days_ago(40))  # no talk for 40 days
    apply(world, id_n=32, on=days_ago(10))  # not yet due
    pending = apply(world, id_n=33, on=days_ago(490 + 100))
    walk(pending, branch, actor, until=C.ADMISSION_APPROVAL)  # voted 100 days ago
    ending = apply(world, id_n=34, on=days_ago(490 + 350))
    walk(ending, branch, actor, until=C.FULL_APPLICATION)  # voted 350 days ago
    rows = selectors.overdue(actor)
    assert [(r.candidate.pk, r.kind) for r in rows][1:] == [
        (pending.pk, "approval_pending"),
        (ending.pk, "probation_ending"),
    ]
    assert rows[0].kind == "no_talk"
    assert selectors.overdue_count(actor) == 3
    assert selectors.overdue(world.secretary_express) == []


def test_a_late_talk_and_a_late_approval_are_recorded_and_flagged(world, branch):
    actor = world.secretary_delivery
    candidate = apply(world)
    talk = services.step_record(
        actor=actor, candidate=candidate, step=C.TALK, on=candidate.applied_on + dt.timedelta(45)
    )
    assert talk.details == {"late": True}
    on_time = apply(world, id_n=41)
    walk(on_time, branch, actor, until=C.ADMISSION_APPROVAL)
    vote = on_time.applied_on + dt.timedelta(days=490)
    approval = services.step_record(
        actor=actor, candidate=on_time, step=C.ADMISSION_APPROVAL, on=vote + dt.timedelta(100)
    )
    assert approval.details["late"] is True
    assert Step.objects.get(candidate=on_time, code=C.TALK).details == {}
