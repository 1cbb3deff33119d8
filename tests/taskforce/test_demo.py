"""The task-force demo: the seed's scale computed from the records (143 cadres, 70 groups,
120 visits, 353 interviews), six member units, overdue tasks, 18 measures with quarterly
reports; deterministic."""

from __future__ import annotations

import datetime as dt

from demo.taskforce import seed_taskforce
from taskforce.measures.selectors import measure_board
from taskforce.models import Demand, IndicatorReport, Measure, MemberUnit, Task
from taskforce.research.selectors import campaign_figures, campaigns_for


def test_the_demo_has_the_campaigns_figures_and_a_year_of_work(world):
    today = dt.date(2026, 12, 7)
    r = seed_taskforce(actor=world.staff, seed=1, today=today)
    assert MemberUnit.objects.count() == 6
    campaign = campaigns_for(world.staff).get(name="“百人万里行”新就业群体专题调研")
    figures = campaign_figures(world.staff, campaign)
    assert (figures.cadres, figures.groups, figures.visits_done, figures.interviews) == (
        143,
        70,
        120,
        353,
    )
    assert figures.demands == Demand.objects.count() > 100
    assert r.appeals == Demand.objects.filter(appeal__isnull=False).count() == 12
    assert r.overdue > 0 and r.escalated > 0
    assert Task.objects.filter(escalated_at__isnull=False).count() == r.escalated
    assert Measure.objects.count() == 18
    assert IndicatorReport.objects.values("quarter").distinct().count() == 4
    board = measure_board(world.staff, 2026)
    assert len(board) == 18 and any(p.percent > 0 for p in board)


def test_the_demo_reports_whole_numbers_for_things_counted(world):
    """A quarter's "召开联席会议次数" read 1.01 meetings: counted things (次, 个, 名, 人, 家,
    件, 套, 组, 人次) are reported as whole numbers; only 万人, 万人次 and % have decimals."""
    seed_taskforce(actor=world.staff, seed=1, today=dt.date(2026, 12, 7))
    reports = IndicatorReport.objects.select_related("indicator")
    counted = [r for r in reports if r.indicator.measure_unit in COUNTED]
    assert counted
    fractional = [(r.indicator.name, r.quarter, r.actual) for r in counted if r.actual % 1]
    assert not fractional, fractional[:5]


COUNTED = ("次", "个", "名", "人", "家", "件", "套", "组", "人次")


def test_the_demo_documents_open_as_pdfs(client, world):
    """Every demo meeting document and research output has a file: a one-page PDF of its own
    title (not a name with nothing behind it), downloaded through the scoped views."""
    from django.urls import reverse

    from taskforce.models import MeetingDocument, ResearchOutput

    seed_taskforce(actor=world.staff, seed=1, today=dt.date(2026, 12, 7))
    assert not MeetingDocument.objects.filter(file="").exists()
    assert not ResearchOutput.objects.filter(file="").exists()
    client.force_login(world.staff)
    doc = MeetingDocument.objects.order_by("pk").first()
    output = ResearchOutput.objects.order_by("pk").first()
    for url, record in (
        (reverse("taskforce:document_file", args=[doc.pk]), doc),
        (reverse("taskforce:output_file", args=[output.pk]), output),
    ):
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        body = b"".join(response.streaming_content)
        assert body.startswith(b"%PDF-1.4") and body.rstrip().endswith(b"%%EOF")
        # the title, as the UTF-16 the PDF's CJK font reads
        assert record.title.encode("utf-16-be").hex().upper().encode() in body
        assert record.file_name in response["Content-Disposition"]
