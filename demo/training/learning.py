"""Education sites and learning resources with workers' online progress (bulk-inserted)."""

from __future__ import annotations

import datetime as dt

from members.models import Worker
from organizations.choices import RegionLevel
from organizations.models import Region
from training.choices import (
    ResourceKind,
)
from training.models import (
    EducationSite,
    LearningResource,
    ResourcePack,
    ResourceProgress,
)

from .common import _at, _districts
from .texts import PACKS, SITE_NAMES


def _sites(rng, n_sites) -> None:
    streets = list(Region.objects.filter(level=RegionLevel.STREET, code__startswith="3204"))
    places = streets or _districts()
    if not places:
        return
    total = sum(n for _name, n in SITE_NAMES.values())
    sites, k = [], 0
    for kind, (suffix, n) in SITE_NAMES.items():
        for j in range(round(n * n_sites / total)):
            region = rng.choice(places)
            k += 1
            sites.append(
                EducationSite(
                    name=f"{region.name}{suffix}" + (f"（{j // len(places) + 1}）" if j else ""),
                    kind=kind,
                    region=region,
                    address=f"{region.name}{rng.randrange(1, 300)}号",
                    vr_url=f"https://vr.example.org/sites/{k:03d}/",
                    description="",
                )
            )
    EducationSite.objects.bulk_create(sites)


def _resources(rng, n_online, today) -> None:
    packs = ResourcePack.objects.bulk_create(
        [ResourcePack(title=title, topic=topic) for title, topic in PACKS]
    )
    kinds = list(ResourceKind.values)
    items = []
    for p, pack in enumerate(packs, start=1):
        for m in range(1, rng.randrange(5, 9)):
            items.append(
                LearningResource(
                    pack=pack,
                    title=f"{pack.title[:-3]}第{m}讲",
                    kind=rng.choice(kinds),
                    url=f"https://learn.example.org/packs/{p}/items/{m}/",
                    minutes=rng.choice((8, 10, 15, 20, 30)),
                    sort_order=m,
                )
            )
    LearningResource.objects.bulk_create(items)
    workers = list(Worker.objects.filter(active=True).values_list("pk", flat=True)[:50_000])
    if not workers:
        return
    rows = []
    for pk in rng.sample(workers, min(n_online, len(workers))):
        for item in rng.sample(items, rng.randrange(1, 5)):
            first = _at(today - dt.timedelta(days=rng.randrange(1, 300)), 20)
            done = rng.random() < 0.6
            rows.append(
                ResourceProgress(
                    worker_id=pk,
                    resource=item,
                    views=rng.randrange(1, 6),
                    first_viewed_at=first,
                    last_viewed_at=first + dt.timedelta(days=rng.randrange(0, 20)),
                    completed_at=first + dt.timedelta(hours=1) if done else None,
                )
            )
    ResourceProgress.objects.bulk_create(rows, batch_size=5000)
