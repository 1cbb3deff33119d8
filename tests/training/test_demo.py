"""The demo year: the issue's proportions at the small scale, completion as the services
derive it, and the catalogue in Chinese."""

import pytest
from django.utils import timezone

from demo import members as members_demo
from demo import seed as demo_seed
from demo import training as training_demo
from demo.logins import staff_user
from training import services
from training.choices import DesignationKind, OutreachKind
from training.models import (
    Attendance,
    Course,
    EducationSite,
    Lecturer,
    OutreachEvent,
    PartyLesson,
    PioneerDesignation,
    Session,
    TrainingClass,
)

pytestmark = pytest.mark.django_db


def test_small_demo_year():
    demo_seed.seed_demo(scale="small", seed=5, areas=["organizations"])
    staff = staff_user()
    members_demo.seed_people(actor=staff, scale="small", seed=5)
    result = training_demo.seed_training(actor=staff, scale="small", seed=5)
    n_classes, n_sessions, person_times, n_lessons, n_lectures, n_says, n_sites, _ = (
        training_demo.SCALES["small"]
    )
    assert (result.classes, result.sessions) == (n_classes, n_sessions)
    assert Lecturer.objects.filter(kind="party_school").count() == 5
    assert Lecturer.objects.filter(kind="backbone").count() == 16
    assert Course.objects.values("topic").distinct().count() == 5
    assert PartyLesson.objects.count() == n_lessons
    assert OutreachEvent.objects.filter(kind=OutreachKind.TOURING_LECTURE).count() == n_lectures
    assert OutreachEvent.objects.exclude(kind=OutreachKind.TOURING_LECTURE).count() == n_says
    assert EducationSite.objects.count() == n_sites
    assert not EducationSite.objects.exclude(vr_url__startswith="https://").exists()
    # About the person-times asked for (only sessions up to today have attendance).
    assert 0.7 * person_times <= Attendance.objects.count() <= 1.2 * person_times
    today = timezone.localdate()
    assert not Attendance.objects.filter(session__starts_at__date__gt=today).exists()
    assert not PartyLesson.objects.filter(given_on__gt=today).exists()
    assert not Session.objects.exclude(starts_at__year=today.year).exists()
    # The stored completion is what the services derive.
    assert (
        sum(
            services.class_refresh_completion(training_class=tc)
            for tc in TrainingClass.objects.all()
        )
        == 0
    )
    assert result.completed > 0
    kinds = set(PioneerDesignation.objects.values_list("kind", flat=True))
    assert kinds == set(DesignationKind.values)
    for d in PioneerDesignation.objects.filter(kind=DesignationKind.RED_FLAG_VEHICLE):
        assert d.plate.startswith("苏D·")
    # Idempotent: a second call adds nothing.
    again = training_demo.seed_training(actor=staff, scale="small", seed=5)
    assert again.classes == n_classes and again.party_lessons == n_lessons
