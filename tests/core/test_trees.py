from organizations.choices import OrganizationBasis, OrganizationKind
from organizations.models import PartyOrganization
from tests import factories as f


def test_paths_follow_parents_and_a_move_rewrites_the_subtree(db):
    root = f.PartyOrganizationFactory(
        kind=OrganizationKind.WORKING_COMMITTEE, basis=OrganizationBasis.REGIONAL
    )
    a = f.PartyOrganizationFactory(
        kind=OrganizationKind.INDUSTRY_COMMITTEE, parent=root, basis=OrganizationBasis.INDUSTRY
    )
    b = f.PartyOrganizationFactory(
        kind=OrganizationKind.INDUSTRY_COMMITTEE, parent=root, basis=OrganizationBasis.INDUSTRY
    )
    child = f.PartyOrganizationFactory(kind=OrganizationKind.PRIMARY_COMMITTEE, parent=a)
    grandchild = f.PartyOrganizationFactory(parent=child)
    assert grandchild.path == f"{root.pk:08d}/{a.pk:08d}/{child.pk:08d}/{grandchild.pk:08d}/"
    assert grandchild.depth == 3
    assert set(a.subtree()) == {a, child, grandchild}

    child.parent = b
    child.save()
    grandchild.refresh_from_db()
    assert grandchild.path.startswith(b.path)
    assert grandchild.depth == 3
    assert set(a.subtree()) == {a}
    assert set(PartyOrganization.objects.filter(path__startswith=b.path)) == {b, child, grandchild}


def test_region_paths_use_codes(db):
    city = f.RegionFactory(code="320400", level="city")
    district = f.RegionFactory(code="320402", parent=city)
    assert district.path == "320400/320402/"
