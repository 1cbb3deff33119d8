"""factory_boy factories with Faker zh_CN. Writes in tests may bypass services only to arrange
data; assertions about behaviour go through the services and faces."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from faker import Faker

from core.identity import USCC_ALPHABET, make_resident_id, make_uscc
from members.models import PartyMember, Worker
from organizations.choices import (
    EnterpriseKind,
    GrantKind,
    OrganizationBasis,
    OrganizationKind,
    RegionLevel,
)
from organizations.models import (
    Department,
    Enterprise,
    Industry,
    Instructor,
    InstructorAssignment,
    PartyOrganization,
    Region,
    ScopeGrant,
)
from organizations.roles import apply_all_role_grants

fake = Faker("zh_CN")


def uscc_for(n: int, region_code: str = "320402") -> str:
    """A valid, deterministic USCC: 9 (enterprise) 1 (company) + region + 9-char body."""
    body = ""
    x = n
    for _ in range(9):
        body = USCC_ALPHABET[x % 31] + body
        x //= 31
    return make_uscc(f"91{region_code}{body}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    is_staff = True

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or "pw-for-tests-123")
        if create:
            self.save(update_fields=["password"])

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        for name in extracted or ():
            if not Group.objects.filter(name=name).exists():
                apply_all_role_grants()  # a transactional test flushed the migration's groups
            self.groups.add(Group.objects.get(name=name))


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"3204{n + 10:02d}")
    name = factory.LazyFunction(lambda: fake.city_name() + "区")
    level = RegionLevel.DISTRICT


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"dept{n}")
    name = factory.Sequence(lambda n: f"部门{n}")


class IndustryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Industry
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"industry{n}")
    name = factory.Sequence(lambda n: f"行业{n}")
    department = factory.SubFactory(DepartmentFactory)


class PartyOrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartyOrganization

    code = factory.Sequence(lambda n: f"org-{n}")
    name = factory.Sequence(lambda n: f"第{n}党支部")
    kind = OrganizationKind.BRANCH
    basis = OrganizationBasis.UNIT


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    uscc = factory.Sequence(lambda n: uscc_for(n + 1000))
    name = factory.LazyFunction(fake.company)
    kind = EnterpriseKind.OUTLET
    industry = factory.SubFactory(IndustryFactory)
    region = factory.SubFactory(RegionFactory)
    worker_count = factory.Faker("random_int", min=1, max=300)


class InstructorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Instructor

    name = factory.LazyFunction(fake.name)


class InstructorAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InstructorAssignment

    instructor = factory.SubFactory(InstructorFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)
    started_on = factory.Faker("date_this_decade")


def resident_id_for(n: int, *, male: bool = True, region_code: str = "320402") -> str:
    """A valid, deterministic resident id; ``n`` picks the birth date and sequence."""
    birth = dt.date(1975, 1, 1) + dt.timedelta(days=(n * 37) % 12000)
    sequence = (n % 499) * 2 + (1 if male else 0)
    return make_resident_id(region_code, birth, sequence)


def phone_for(n: int) -> str:
    return f"139{n % 100_000_000:08d}"


class WorkerFactory(factory.django.DjangoModelFactory):
    """A worker on a platform roster; pass ``industry``/``region``/``enterprise`` to place them."""

    class Meta:
        model = Worker

    source = "meituan"
    external_id = factory.Sequence(lambda n: f"W{n:07d}")
    name = factory.LazyFunction(fake.name)
    id_number = factory.Sequence(lambda n: resident_id_for(n))
    phone = factory.Sequence(lambda n: phone_for(n))


class PartyMemberFactory(factory.django.DjangoModelFactory):
    """A full member whose relation is held by ``organization`` (required)."""

    class Meta:
        model = PartyMember

    member_id = factory.Sequence(lambda n: f"M{n:07d}")
    name = factory.LazyFunction(fake.name)
    id_number = factory.Sequence(lambda n: resident_id_for(n + 50_000, male=n % 2 == 0))
    phone = factory.Sequence(lambda n: phone_for(n + 50_000_000))


def grant(user, kind: str = GrantKind.CITY, **target) -> ScopeGrant:
    return ScopeGrant.objects.create(user=user, kind=kind, **target)
