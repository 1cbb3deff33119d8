import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Row:
    benchmark: str
    measure: str
    value: float
    unit: str
    target: str = ""
    passed: bool | None = None


def timings(fn: Callable[[], object], repeat: int, warmup: int = 3) -> list[float]:
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18] if len(values) >= 20 else max(values)


def print_table(rows: list[Row]) -> None:
    header = ("benchmark", "measure", "value", "target", "ok")
    lines = [
        (
            r.benchmark,
            r.measure,
            f"{r.value:,.2f} {r.unit}",
            r.target,
            "" if r.passed is None else ("yes" if r.passed else "NO"),
        )
        for r in rows
    ]
    widths = [max(len(str(x)) for x in col) for col in zip(header, *lines, strict=False)]
    for line in (header, tuple("-" * w for w in widths), *lines):
        print("  ".join(str(x).ljust(w) for x, w in zip(line, widths, strict=False)))


def committee_tree(province, industry_codes):
    """The industries, a working committee over ``province`` and one industry committee per
    industry: the organization skeleton the province-scale benchmarks build on."""
    from organizations.choices import OrganizationBasis, OrganizationKind
    from organizations.models import Industry, PartyOrganization

    industries = [Industry.objects.create(code=code, name=code) for code in industry_codes]
    root = PartyOrganization.objects.create(
        code="wc",
        name="两新工委",
        kind=OrganizationKind.WORKING_COMMITTEE,
        basis=OrganizationBasis.REGIONAL,
        region=province,
    )
    committees = [
        PartyOrganization.objects.create(
            code=f"ic-{i.code}",
            name=f"{i.code}党委",
            kind=OrganizationKind.INDUSTRY_COMMITTEE,
            basis=OrganizationBasis.INDUSTRY,
            industry=i,
            region=province,
            parent=root,
        )
        for i in industries
    ]
    return industries, committees
