"""No plaintext by any door (issue 20, deliverable 2): ``dumpdata`` and every serialization of
a protected field carry its ciphertext and blind index, and such a dump loads back."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core import serializers
from django.core.management import call_command
from django.core.serializers.base import DeserializationError

from core import pii
from members.models import PartyMember, Worker
from tests import factories as f


@pytest.fixture
def people(world):
    worker = f.WorkerFactory(industry=world.delivery)
    member = f.PartyMemberFactory(organization=world.branch_delivery)
    return worker, member


def _dump(*labels: str) -> str:
    out = StringIO()
    call_command("dumpdata", *labels, "--format", "json", stdout=out)
    return out.getvalue()


def test_dumpdata_writes_ciphertext_and_index_never_plaintext(people):
    worker, member = people
    text = _dump("members.Worker", "members.PartyMember")
    for person in (worker, member):
        for value in (person.id_number, person.phone, pii.normalize_phone(person.phone)):
            assert value not in text
    rows = {(r["model"], r["pk"]): r["fields"] for r in json.loads(text)}
    fields = rows[("members.worker", worker.pk)]
    assert fields["id_number"].startswith(pii.FERNET_TOKEN_PREFIX)
    assert pii.decrypt(fields["id_number"]) == worker.id_number
    assert fields["id_number_index"] == worker.id_number_index
    assert pii.decrypt(fields["phone"]) == worker.phone
    assert fields["phone_index"] == worker.phone_index


def test_a_dump_loads_back_to_the_same_people(people, tmp_path):
    worker, member = people
    path = tmp_path / "people.json"
    path.write_text(_dump("members.Worker", "members.PartyMember"), encoding="utf-8")
    Worker.objects.filter(pk=worker.pk).update(name="changed")
    call_command("loaddata", str(path), verbosity=0)
    loaded = Worker.objects.get(pk=worker.pk)
    assert loaded.name == worker.name
    assert (loaded.id_number, loaded.phone) == (worker.id_number, worker.phone)
    assert loaded.id_number_index == worker.id_number_index
    again = PartyMember.objects.get(pk=member.pk)
    assert again.id_number == member.id_number


def test_every_serializer_format_hides_the_value(people):
    worker, _member = people
    for fmt in ("json", "xml", "python"):
        out = serializers.serialize(fmt, [worker])
        assert worker.id_number not in str(out), fmt
        assert worker.phone not in str(out), fmt


def test_a_dump_made_under_another_key_is_refused(people, settings, tmp_path):
    path = tmp_path / "people.json"
    path.write_text(_dump("members.Worker"), encoding="utf-8")
    settings.PORTAL_PII_KEY = "another-key-for-this-test-only-0123456789"
    with pytest.raises(DeserializationError):
        call_command("loaddata", str(path), verbosity=0)
