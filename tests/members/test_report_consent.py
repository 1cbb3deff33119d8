"""The public self-report form states what it collects, why, for how long and who sees it, and
sends nothing without the reporter's consent (PIPL); the consent is recorded with the report."""

from __future__ import annotations

import pytest

from members.models import MemberClaim

from .test_claims import REPORT_URL, post_report, report_data

pytestmark = pytest.mark.django_db


def test_the_notice_is_shown_and_consent_is_required(client, world):
    page = client.get(REPORT_URL).content.decode()
    assert 'id="pi-notice-title"' in page and 'for="id_consent"' in page
    refused = post_report(client, report_data(consent=""))
    assert refused.status_code == 400
    assert "consent" in refused.context["form"].errors
    assert not MemberClaim.objects.exists()
    assert post_report(client, report_data()).status_code == 302
    claim = MemberClaim.objects.get()
    assert claim.consented_at is not None and claim.notice_version == "report-2026-12"
