"""The admin face: scoped lists, the disbursement add form goes through the service (an
overdraw is a field error), made disbursements are read-only and show masked names only."""

from decimal import Decimal

from appeals.models import Disbursement

from .helpers import give

ADMIN = "/admin/appeals/"


def test_fund_changelist_is_scoped_with_totals(client, world, people, funds):
    give(world.staff, funds.delivery, worker=people.worker_delivery, amount="1000.00")
    client.force_login(world.secretary_delivery)
    page = client.get(f"{ADMIN}assistancefund/")
    assert page.status_code == 200
    html = page.content.decode()
    assert funds.delivery.name in html and funds.express.name not in html
    assert "4,000.00" in html  # remaining
    assert client.get(f"{ADMIN}assistancefund/{funds.express.pk}/change/").status_code == 404


def test_fund_page_shows_disbursements_inline_masked(client, world, people, funds):
    give(world.staff, funds.delivery, worker=people.worker_delivery, amount="1000.00")
    client.force_login(world.secretary_delivery)
    page = client.get(f"{ADMIN}assistancefund/{funds.delivery.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "张*" in html and people.worker_delivery.phone not in html


def test_admin_budget_lowering_is_a_field_error(client, world, people, funds):
    give(world.staff, funds.delivery, worker=people.worker_delivery, amount="1000.00")
    client.force_login(world.staff)
    url = f"{ADMIN}assistancefund/{funds.delivery.pk}/change/"
    data = {
        "name": funds.delivery.name,
        "source": funds.delivery.source,
        "year": funds.delivery.year,
        "budget": "999.99",
        "owner_organization": funds.delivery.owner_organization_id,
        "status": "active",
        "note": "",
        "items-TOTAL_FORMS": "0",
        "items-INITIAL_FORMS": "0",
        "disbursements-TOTAL_FORMS": "0",
        "disbursements-INITIAL_FORMS": "0",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "budget" in response.context["adminform"].form.errors
    funds.delivery.refresh_from_db()
    assert funds.delivery.budget == Decimal("5000.00")


def _add(client, fund, **kw):
    data = {
        "fund": fund.pk,
        "worker": "",
        "member": "",
        "amount": "",
        "item": "",
        "quantity": "",
        "purpose": "hardship",
        "disbursed_on": "2026-02-01",
        "appeal_reference": "",
        "note": "",
        **kw,
    }
    return client.post(f"{ADMIN}disbursement/add/", data)


def test_admin_add_goes_through_the_service(client, world, people, funds):
    client.force_login(world.secretary_delivery)
    response = _add(client, funds.delivery, worker=people.worker_delivery.pk, amount="5000.01")
    assert response.status_code == 200
    assert "amount" in response.context["adminform"].form.errors
    assert not Disbursement.objects.exists()
    # Another committee's fund is not even a choice.
    response = _add(client, funds.express, worker=people.worker_delivery.pk, amount="1.00")
    assert "fund" in response.context["adminform"].form.errors
    response = _add(client, funds.delivery, worker=people.worker_delivery.pk, amount="5000.00")
    assert response.status_code == 302
    row = Disbursement.objects.get()
    assert row.approver == world.secretary_delivery


def test_made_disbursement_is_read_only(client, world, people, funds):
    row = give(world.staff, funds.delivery, worker=people.worker_delivery, amount="10.00")
    client.force_login(world.staff)
    page = client.get(f"{ADMIN}disbursement/{row.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="amount"' not in html and "张*" in html
    client.post(f"{ADMIN}disbursement/{row.pk}/change/", {"amount": "1.00"})
    client.post(f"{ADMIN}disbursement/{row.pk}/delete/", {"post": "yes"})
    row.refresh_from_db()
    assert row.amount == Decimal("10.00")
