"""The admin face: scoped by the organizer, saves through the services, the catalogue
read-only for everyone but city-wide staff."""

from training.models import TrainingClass


def test_class_admin_is_scoped(client, world, training):
    client.force_login(world.secretary_delivery)
    changelist = client.get("/admin/training/trainingclass/")
    assert changelist.status_code == 200
    assert {c.pk for c in changelist.context["cl"].result_list} == {training.class_d.pk}
    assert (
        client.get(f"/admin/training/trainingclass/{training.class_e.pk}/change/").status_code
        == 404
    )
    assert client.get(f"/admin/training/session/{training.session_e.pk}/change/").status_code == 404
    assert (
        client.get(f"/admin/training/trainingclass/{training.class_d.pk}/change/").status_code
        == 200
    )


def test_admin_save_goes_through_the_service(client, world, training):
    client.force_login(world.secretary_delivery)
    url = f"/admin/training/trainingclass/{training.class_d.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "name": training.class_d.name,
            "organizer": world.committee_express.pk,  # outside the secretary's scope
            "region": world.district_a.pk,
            "starts_on": training.class_d.starts_on.isoformat(),
            "ends_on": training.class_d.ends_on.isoformat(),
            "courses": [training.course.pk],
            "industries": [],
            "sessions-TOTAL_FORMS": "5",
            "sessions-INITIAL_FORMS": "5",
        }
    )
    for n, s in enumerate(training.sessions_d):
        data[f"sessions-{n}-id"] = s.pk
        data[f"sessions-{n}-training_class"] = training.class_d.pk
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, with the error
    assert "organizer" in response.context["adminform"].form.errors
    assert TrainingClass.objects.get(pk=training.class_d.pk).organizer == world.committee_delivery


def test_catalogue_is_read_only_for_a_secretary(client, world, training):
    client.force_login(world.secretary_delivery)
    page = client.get("/admin/training/course/")
    assert page.status_code == 200
    assert {c.pk for c in page.context["cl"].result_list} == {training.course.pk}
    assert not page.context["has_add_permission"]
    assert client.get("/admin/training/course/add/").status_code == 403
    client.force_login(world.staff)
    assert client.get("/admin/training/course/add/").status_code == 200


def test_resource_inline_writes_through_the_services(client, world):
    from django.contrib.contenttypes.models import ContentType

    from core.models import AuditEvent
    from tests.admin_forms import add_row, change_form_data
    from training import services
    from training.choices import CourseTopic, ResourceKind
    from training.models import LearningResource

    pack = services.pack_create(
        actor=world.staff, data={"title": "新就业群体党课", "topic": CourseTopic.values[0]}
    )
    client.force_login(world.staff)
    url = f"/admin/training/resourcepack/{pack.pk}/change/"
    data = change_form_data(client.get(url))
    add_row(
        data,
        "items",
        {
            "title": "第一讲",
            "kind": ResourceKind.values[0],
            "url": "https://example.org/1",
            "minutes": 10,
            "sort_order": 0,
        },
    )
    response = client.post(url, data)
    assert response.status_code == 302, (
        response.context["adminform"].form.errors,
        [f.errors for fs in response.context["inline_admin_formsets"] for f in fs.formset.forms],
    )
    item = LearningResource.objects.get(pack=pack)
    audit = AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(LearningResource), object_id=str(item.pk)
    )
    assert audit.filter(action="create").exists()

    data = change_form_data(client.get(url))
    data["items-0-minutes"] = 45
    assert client.post(url, data).status_code == 302
    assert LearningResource.objects.get(pk=item.pk).minutes == 45
    assert audit.get(action="update").changes["minutes"] == [10, 45]
