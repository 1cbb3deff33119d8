"""The pieces written once and used by every app: the generic CRUD services, the M2M write
with its audit row, the form look."""

import inspect

import pytest
from django import forms
from django.core.exceptions import ValidationError

from core.forms import style_inputs
from core.models import AuditEvent
from organizations import services
from organizations.models import Industry
from stations.models import Station


def test_crud_services_keep_their_keyword_only_signature():
    sig = inspect.signature(services.industry_update)
    assert list(sig.parameters) == ["actor", "industry", "data"]
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in sig.parameters.values())
    assert services.industry_update.__name__ == "industry_update"


def test_crud_services_guard_validate_and_audit(world):
    with pytest.raises(ValidationError):
        services.industry_create(actor=world.secretary_delivery, data={"code": "x", "name": "x"})
    industry = services.industry_create(actor=world.staff, data={"code": "xx", "name": "新行业"})
    services.industry_update(actor=world.staff, industry=industry, data={"name": "新行业二"})
    assert Industry.objects.get(pk=industry.pk).name == "新行业二"
    assert AuditEvent.objects.filter(object_id=str(industry.pk), action="update").exists()
    with pytest.raises(TypeError):
        services.industry_delete(actor=world.staff, instance=industry)
    services.industry_delete(actor=world.staff, industry=industry)
    assert not Industry.objects.filter(pk=industry.pk).exists()


def test_set_m2m_audits_only_a_change(world, db):
    from core import writes
    from stations import services as station_services

    station = station_services.station_create(
        actor=world.staff,
        data={
            "name": "驿站",
            "kind": "red_station",
            "region": world.street_a,
            "host_enterprise": world.ent_delivery_a,
            "address": "路1号",
            "latitude": 31.78,
            "longitude": 119.97,
        },
    )
    assert writes.set_m2m(
        actor=world.staff, instance=station, field="industries", values=[world.delivery]
    )
    assert not writes.set_m2m(
        actor=world.staff, instance=station, field="industries", values=[world.delivery]
    )
    events = AuditEvent.objects.filter(object_id=str(station.pk), verb="set_industries")
    assert events.count() == 1
    assert Station.objects.get(pk=station.pk).industries.get() == world.delivery


def test_style_inputs():
    class F(forms.Form):
        q = forms.CharField()
        on = forms.DateField()
        tick = forms.BooleanField()

    form = F()
    style_inputs(form, skip=(forms.CheckboxInput,), date_inputs=True)
    assert form.fields["q"].widget.input_type == "search"
    assert form.fields["on"].widget.input_type == "date"
    assert form.fields["q"].widget.attrs["class"] == "input"
    assert "class" not in form.fields["tick"].widget.attrs
