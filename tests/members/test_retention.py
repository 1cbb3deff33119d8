"""The self-report notice's promise kept: a report whose case closed longer ago than the
retention period loses who reported (name, ID, phone and their indexes, home organization,
employer, place of work); the report and its case stay; an open case's or a recent one's
report is untouched; a second run does nothing; the nightly beat runs it."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from core.models import AuditEvent
from core.pii.crypto import blind_index
from members.choices import CaseStatus, ClaimChannel
from members.models import Case, MemberClaim
from members.services import retention
from members.services.claims import claim_submit

from .test_claims import REPORT_URL, report_data

NOW = timezone.make_aware(dt.datetime(2030, 6, 1, 12, 0))


def _report(world, n: int, *, closed_ago: dt.timedelta | None) -> MemberClaim:
    claim = claim_submit(channel=ClaimChannel.PUBLIC_FORM, data=report_data(n))
    if closed_ago is not None:
        Case.objects.filter(claim=claim).update(
            status=CaseStatus.REJECTED, closed_at=NOW - closed_ago
        )
    return claim


def test_a_report_past_its_period_is_made_anonymous(world):
    old = _report(world, 1, closed_ago=dt.timedelta(days=3 * 365 + 2))
    recent = _report(world, 2, closed_ago=dt.timedelta(days=3 * 365 - 2))
    still_open = _report(world, 3, closed_ago=None)
    id_number = old.id_number
    index = blind_index(id_number, kind="resident_id")
    assert MemberClaim.objects.filter(id_number_index=index).exists()

    assert retention.claims_anonymize_past_retention(now=NOW) == 1

    old.refresh_from_db()
    assert old.name == old.id_number == old.phone == ""
    assert old.id_number_index == old.phone_index == ""
    assert old.employer_name == old.work_place == old.home_organization_name == ""
    assert old.anonymized_at == NOW and old.reference and old.region_id
    assert Case.objects.filter(claim=old).exists()
    # the ID no longer finds the report
    assert not MemberClaim.objects.filter(id_number_index=index).exists()
    audit = AuditEvent.objects.get(verb="member_claim_anonymize")
    assert audit.object_id == str(old.pk) and {"name", "id_number", "phone"} <= set(audit.changes)
    assert id_number not in str(audit.changes) and "周敏" not in str(audit.changes)
    for kept in (recent, still_open):
        kept.refresh_from_db()
        assert kept.name == "周敏" and kept.anonymized_at is None

    assert retention.claims_anonymize_past_retention(now=NOW) == 0  # idempotent


def test_the_period_is_the_one_the_notice_states(client, world):
    page = client.get(REPORT_URL, HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert f"报到跟进期间及办结后 {retention.RETENTION_YEARS} 年" in page


def test_it_runs_nightly(world):
    tasks = {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "members.tasks.anonymize_past_retention" in tasks
    from members.tasks import anonymize_past_retention

    # closed eight years before NOW (2030): past the period on today's clock too
    due = _report(world, 9, closed_ago=dt.timedelta(days=8 * 365))
    assert anonymize_past_retention.apply().get() == 1
    due.refresh_from_db()
    assert due.anonymized_at is not None and due.name == ""
