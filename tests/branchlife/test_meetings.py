"""Meetings: check-in by code (idempotent, mobile members where hosted), leave needs a
reason, sign-up; the compliance matrix and the six-month attendance rule against hand-computed
data; evaluations."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from branchlife import selectors, services
from branchlife.choices import CheckInChannel, MeetingKind, ParticipationStatus, Rating
from branchlife.models import Evaluation, Meeting, Participation
from tests import factories as f
from training.models import PartyLesson

from .helpers import at, meeting


@pytest.fixture
def now_meeting(world):
    return meeting(
        world.branch_delivery,
        MeetingKind.THEME_DAY,
        when=timezone.now() - dt.timedelta(minutes=10),
        held=False,
    )


def test_meeting_plan_rules(world):
    with pytest.raises(ValidationError) as exc:
        services.meeting_create(
            actor=world.secretary_delivery,
            data={
                "organization": world.branch_delivery,
                "kind": MeetingKind.COMMITTEE,
                "title": "支委会",
                "starts_at": timezone.now(),
                "place_kind": "online",
            },
        )
    assert "online_url" in exc.value.message_dict
    with pytest.raises(ValidationError):  # another committee's branch
        services.meeting_create(
            actor=world.secretary_delivery,
            data={
                "organization": world.branch_express,
                "kind": MeetingKind.COMMITTEE,
                "title": "支委会",
                "starts_at": timezone.now(),
            },
        )
    assert not Meeting.objects.exists()


def test_check_in_by_code_is_idempotent(world, people, now_meeting):
    member = people.member_delivery
    with pytest.raises(ValidationError) as exc:
        services.participation_check_in(
            actor=world.partner,
            meeting=now_meeting,
            member=member,
            code="WRONG",
            channel=CheckInChannel.PARTNER_APP,
        )
    assert "code" in exc.value.message_dict
    assert not Participation.objects.exists()
    first, created = services.participation_check_in(
        actor=world.partner,
        meeting=now_meeting,
        member=member,
        code=now_meeting.check_in_code.lower(),
        channel=CheckInChannel.PARTNER_APP,
    )
    again, created_again = services.participation_check_in(
        actor=world.partner,
        meeting=now_meeting,
        member=member,
        code=now_meeting.check_in_code,
        channel=CheckInChannel.PARTNER_APP,
    )
    assert created and not created_again and first.pk == again.pk
    assert first.status == ParticipationStatus.PRESENT


def test_a_member_not_expected_is_refused(world, people, now_meeting):
    with pytest.raises(ValidationError) as exc:
        services.participation_check_in(
            actor=world.partner,
            meeting=now_meeting,
            member=people.member_express,
            code=now_meeting.check_in_code,
            channel=CheckInChannel.PARTNER_APP,
        )
    assert "member" in exc.value.message_dict
    assert not Participation.objects.exists()


def test_portal_record_only_for_the_meeting_staff(world, people, now_meeting):
    with pytest.raises(ValidationError) as exc:
        services.participation_check_in(
            actor=world.secretary_express,
            meeting=now_meeting,
            member=people.member_delivery,
            code=None,
            channel=CheckInChannel.PORTAL,
        )
    assert "channel" in exc.value.message_dict
    _p, created = services.participation_check_in(
        actor=world.secretary_delivery,
        meeting=now_meeting,
        member=people.member_delivery,
        code=None,
        channel=CheckInChannel.PORTAL,
    )
    assert created


def test_leave_needs_a_reason(world, people, now_meeting):
    with pytest.raises(ValidationError) as exc:
        services.participation_leave(
            actor=world.secretary_delivery,
            meeting=now_meeting,
            member=people.member_delivery,
            reason="  ",
        )
    assert "leave_reason" in exc.value.message_dict
    assert not Participation.objects.exists()
    leave = services.participation_leave(
        actor=world.secretary_delivery,
        meeting=now_meeting,
        member=people.member_delivery,
        reason="夜班送单",
    )
    assert leave.status == ParticipationStatus.LEAVE and leave.leave_reason == "夜班送单"


def test_held_needs_minutes(world, now_meeting):
    with pytest.raises(ValidationError) as exc:
        services.meeting_hold(actor=world.secretary_delivery, meeting=now_meeting, minutes="")
    assert "minutes" in exc.value.message_dict
    now_meeting.refresh_from_db()
    assert now_meeting.status == "planned"
    held = services.meeting_hold(
        actor=world.secretary_delivery, meeting=now_meeting, minutes="学习了……", resolutions="一"
    )
    assert held.status == "held"


def test_compliance_matrix_hand_computed(world, settings):
    # Monthly: committee, group, theme day (3); quarterly: general meeting, lesson (2);
    # yearly: life meeting, evaluation (2).
    branch = world.branch_delivery
    for month in (1, 2, 3):
        meeting(branch, MeetingKind.COMMITTEE, when=at(2025, month))
        meeting(branch, MeetingKind.GROUP, when=at(2025, month))
        meeting(branch, MeetingKind.THEME_DAY, when=at(2025, month))
    meeting(branch, MeetingKind.GENERAL_MEETING, when=at(2025, 2))
    # The lesson recorded in training counts (linked, not duplicated).
    PartyLesson.objects.create(
        organization=branch,
        title="党课",
        speaker_name="书记",
        given_on=dt.date(2025, 3, 20),
        audience_count=8,
    )
    meeting(branch, MeetingKind.COMMITTEE, when=at(2025, 4))
    meeting(branch, MeetingKind.COMMITTEE, when=at(2025, 5), held=False)  # planned only
    rows = selectors.compliance_matrix(world.staff, year=2025, today=dt.date(2026, 1, 5))
    row = next(r for r in rows if r.organization == branch)
    cells = {c.month: (c.held, c.required, c.state) for c in row.cells}
    assert cells[1] == (3, 3, "ok")
    assert cells[3] == (5, 5, "ok")  # 3 monthly + general meeting + lesson
    assert cells[4] == (1, 3, "behind")
    assert cells[5] == (0, 3, "behind")
    assert cells[12] == (0, 7, "behind")
    other = next(r for r in rows if r.organization == world.branch_express)
    assert other.behind == 12
    # Scope: the express secretary's matrix has no delivery branch.
    mine = selectors.compliance_matrix(world.secretary_express, year=2025)
    assert [r.organization for r in mine] == [world.branch_express]


def test_frequencies_are_settings(world, settings):
    settings.BRANCHLIFE_MEETING_FREQUENCIES = {MeetingKind.COMMITTEE: 3}
    meeting(world.branch_delivery, MeetingKind.COMMITTEE, when=at(2025, 2))
    rows = selectors.compliance_matrix(world.staff, year=2025, today=dt.date(2026, 1, 5))
    row = next(r for r in rows if r.organization == world.branch_delivery)
    assert [(c.month, c.state) for c in row.cells][:4] == [
        (1, "none"),
        (2, "none"),
        (3, "ok"),
        (4, "none"),
    ]


def test_absent_six_months_and_mobile_members(world, people):
    today = dt.date(2026, 8, 15)  # window: February to July 2026
    branch = world.branch_delivery
    present_elsewhere = people.mobile_member  # hosted by the delivery branch
    absent = people.member_delivery
    excused = f.PartyMemberFactory(name="请假者", organization=branch)
    meetings = [meeting(branch, MeetingKind.COMMITTEE, when=at(2026, m)) for m in range(2, 8)]
    # The mobile member checked in at a meeting of another branch (where they were that day).
    elsewhere = meeting(world.branch_express, MeetingKind.THEME_DAY, when=at(2026, 5))
    Participation.objects.create(
        meeting=elsewhere, member=present_elsewhere, status=ParticipationStatus.PRESENT
    )
    Participation.objects.create(
        meeting=meetings[3], member=excused, status=ParticipationStatus.LEAVE, leave_reason="病假"
    )
    # An absence before the window does not count.
    Participation.objects.create(
        meeting=meeting(branch, when=at(2026, 1)), member=absent, status="present"
    )
    flagged = set(selectors.absent_six_months(world.secretary_delivery, today=today))
    assert flagged == {absent}
    rows = {
        m.pk: (m.held, m.present, m.on_leave)
        for m in selectors.attendance(world.secretary_delivery, organization=branch, today=today)
    }
    assert rows[absent.pk] == (6, 0, 0)
    assert rows[present_elsewhere.pk] == (6, 1, 0)
    assert rows[excused.pk] == (6, 0, 1)
    # The express branch met in May and its own member took no part: listed for its secretary,
    # who sees none of the delivery branch's members.
    assert set(selectors.absent_six_months(world.secretary_express, today=today)) == {
        people.member_express
    }


def test_evaluation_once_a_year(world, people):
    services.evaluation_create(
        actor=world.secretary_delivery,
        data={
            "member": people.member_delivery,
            "organization": world.branch_delivery,
            "year": 2025,
            "rating": Rating.EXCELLENT,
        },
    )
    with pytest.raises(ValidationError) as exc:
        services.evaluation_create(
            actor=world.secretary_delivery,
            data={
                "member": people.member_delivery,
                "organization": world.branch_delivery,
                "year": 2025,
                "rating": Rating.QUALIFIED,
            },
        )
    assert "year" in exc.value.message_dict
    assert Evaluation.objects.count() == 1


def test_upcoming_meetings_of_a_member(world, people):
    later = timezone.now() + dt.timedelta(days=3)
    home = meeting(world.branch_delivery, when=later, held=False)
    meeting(world.branch_express, when=later, held=False)
    meeting(world.branch_delivery, when=timezone.now() - dt.timedelta(days=3), held=False)
    assert list(selectors.upcoming_for(world.staff, member=people.mobile_member)) == [home]
