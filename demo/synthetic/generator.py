"""The generator: workers and members of a province, hidden members corrupted at the
rates of :data:`~demo.synthetic.tables.CORRUPTION`."""

from __future__ import annotations

import datetime as dt

import numpy as np

from members.matching.compare import yyyymmdd
from members.names import char_pinyin, fuzzy_syllable

from .sides import Province, Side, _concat, _dedupe_ids, _rederive, _take
from .tables import (
    CORRUPTION,
    DUPLICATE_SHARE,
    EXTRA_GIVEN_CHARS,
    HIDDEN_SHARE,
    LOOKALIKE,
    N_INDUSTRIES,
    NAMESAKES_PER_LINK,
    NON_MEMBER,
    OTHER_PROVINCES,
    PHONE_PREFIXES,
    TODAY,
    _gb2312_level1,
    _homophones,
    districts,
)


class Generator:
    def __init__(
        self,
        seed: int = 2026,
        *,
        district_codes: list[int] | None = None,
        corruption: dict[str, float] | None = None,
    ) -> None:
        """``district_codes`` replaces the synthetic 13 × 8 districts (the demo passes its
        city's); ``corruption`` overrides rates of :data:`CORRUPTION`."""
        from faker.providers.person.zh_CN import Provider

        self.rng = np.random.default_rng(seed)
        self.surnames = np.array(list(Provider.last_names.keys()))
        weights = np.array(list(Provider.last_names.values()), dtype=float)
        self.surname_p = weights / weights.sum()
        faker_given = sorted(set(Provider.first_names))
        self.given_full = np.array([g for g in faker_given if len(g) > 1])
        chars = sorted(set("".join(faker_given)) | set(EXTRA_GIVEN_CHARS))
        self.given_chars = np.array(chars)
        self.single_given = np.array([g for g in faker_given if len(g) == 1])
        self.districts = np.array(district_codes or districts(), dtype=np.int64)
        self.corruption = {**CORRUPTION, **(corruption or {})}
        self._homophone_table: dict[str, list[str]] | None = None

    # --- people ---------------------------------------------------------------------------

    def names(self, n: int, surnames: np.ndarray | None = None) -> list[str]:
        rng = self.rng
        sur = surnames if surnames is not None else rng.choice(self.surnames, n, p=self.surname_p)
        kind = rng.random(n)
        c1 = rng.choice(self.given_chars, n)
        c2 = rng.choice(self.given_chars, n)
        single = rng.choice(self.single_given, n)
        full = rng.choice(self.given_full, n)
        out = []
        for s, k, a, b, one, two in zip(
            sur.tolist(), kind.tolist(), c1.tolist(), c2.tolist(), single.tolist(), full.tolist(),
            strict=True,
        ):  # fmt: skip
            out.append(s + (one if k < 0.15 else two if k < 0.25 else a + b))
        return out

    def birth_dates(self, n: int, mean_age: float, sd: float, lo: int, hi: int) -> np.ndarray:
        ages = np.clip(self.rng.normal(mean_age, sd, n), lo, hi)
        return (TODAY.toordinal() - (ages * 365.25).astype(np.int64)).astype(np.int64)

    def id_bodies(self, birth: np.ndarray, gender: np.ndarray) -> np.ndarray:
        rng = self.rng
        n = len(birth)
        local = rng.random(n) < 0.7
        region = np.where(
            local,
            rng.choice(self.districts, n),
            rng.choice(np.array([int(p) * 1000 for p in OTHER_PROVINCES]), n)
            + rng.integers(1, 30, n) * 10
            + rng.integers(1, 9, n),
        )
        ymd = yyyymmdd(birth)
        seq = rng.integers(0, 500, n) * 2 + (gender == 1)  # odd for men
        return region * 10**11 + ymd * 1000 + seq

    def phones(self, n: int) -> np.ndarray:
        return self.rng.choice(PHONE_PREFIXES, n) * 10**8 + self.rng.integers(0, 10**8, n)

    def side(self, n: int, mean_age: float, sd: float, lo: int, hi: int, industry_share: float):
        rng = self.rng
        gender = rng.integers(1, 3, n).astype(np.int8)
        birth = self.birth_dates(n, mean_age, sd, lo, hi)
        industry = np.where(rng.random(n) < industry_share, rng.integers(1, N_INDUSTRIES + 1, n), 0)
        return Side(
            name=self.names(n),
            id_body=self.id_bodies(birth, gender),
            birth=birth,
            gender=gender,
            phone=self.phones(n),
            district=rng.choice(self.districts, n),
            industry=industry.astype(np.int64),
        )

    # --- corruption -------------------------------------------------------------------------

    @property
    def homophone_table(self) -> dict[str, list[str]]:
        if self._homophone_table is None:
            self._homophone_table = _homophones()
        return self._homophone_table

    def homophone(self, name: str) -> str:
        positions = [i for i, c in enumerate(name) if self.homophone_table.get(c)]
        if not positions:
            return self.wrong_char(name)
        given = [i for i in positions if i > 0]
        pos = given[self.rng.integers(len(given))] if given and self.rng.random() < 0.75 else (
            positions[self.rng.integers(len(positions))]
        )  # fmt: skip
        options = self.homophone_table[name[pos]]
        return name[:pos] + options[self.rng.integers(len(options))] + name[pos + 1 :]

    def traditional(self, name: str) -> str:
        """The name in traditional characters (OpenCC ``s2t``); unchanged when it has none."""
        import opencc

        if not hasattr(self, "_s2t"):
            self._s2t = opencc.OpenCC("s2t")
        return self._s2t.convert(name)

    def nearsound(self, name: str) -> str:
        """One character replaced by one that sounds alike only to a southern ear or a
        careless pinyin typist (陈 chen → 程 cheng, 林 lin → 玲 ling)."""
        if not hasattr(self, "_near"):
            groups: dict[str, list[str]] = {}
            for char in _gb2312_level1():
                groups.setdefault(fuzzy_syllable(char_pinyin(char)), []).append(char)
            self._near = {
                c: [o for o in g if char_pinyin(o) != char_pinyin(c)]
                for g in groups.values()
                for c in g
            }
        positions = [i for i, c in enumerate(name) if self._near.get(c)]
        if not positions:
            return self.homophone(name)
        pos = positions[self.rng.integers(len(positions))]
        options = self._near[name[pos]]
        return name[:pos] + options[self.rng.integers(len(options))] + name[pos + 1 :]

    def lookalike(self, name: str) -> str:
        positions = [i for i, c in enumerate(name) if c in LOOKALIKE]
        if not positions:
            return self.wrong_char(name)
        pos = positions[self.rng.integers(len(positions))]
        return name[:pos] + LOOKALIKE[name[pos]] + name[pos + 1 :]

    def wrong_char(self, name: str) -> str:
        """A plain wrong character in the given name (a typing error without a look-alike)."""
        pos = int(self.rng.integers(1, len(name))) if len(name) > 1 else 0
        return name[:pos] + str(self.rng.choice(self.given_chars)) + name[pos + 1 :]

    def mistype_id(self, body: int) -> tuple[int, int, int]:
        """One of the 17 digits changed (or, one time in four, two adjacent digits swapped) so
        that the number stays valid (a real date, check digit recomputed); returns (body,
        birth ordinal, gender) as derived from it."""
        text = f"{body:017d}"
        while True:
            pos = int(self.rng.integers(0, 17))
            if self.rng.random() < 0.25 and pos < 16:
                if text[pos] == text[pos + 1]:
                    continue
                new = text[:pos] + text[pos + 1] + text[pos] + text[pos + 2 :]
            else:
                digit = str(self.rng.integers(0, 10))
                if digit == text[pos]:
                    continue
                new = text[:pos] + digit + text[pos + 1 :]
            try:
                birth = dt.date(int(new[6:10]), int(new[10:12]), int(new[12:14]))
            except ValueError:
                continue
            if not (1930 <= birth.year <= TODAY.year - 16):
                continue
            return int(new), birth.toordinal(), 1 if int(new[16]) % 2 else 2

    # --- the province ---------------------------------------------------------------------------

    def province(self, n_workers: int, n_members: int) -> Province:
        rng = self.rng
        members = self.side(n_members, 42, 10, 20, 70, industry_share=0.4)
        _dedupe_ids(members, rng)
        eligible = np.flatnonzero(members.birth > TODAY.toordinal() - int(56 * 365.25))
        n_hidden = min(int(n_workers * HIDDEN_SHARE), len(eligible))
        hidden = rng.choice(eligible, n_hidden, replace=False)
        twice = hidden[rng.random(n_hidden) < DUPLICATE_SHARE]
        linked_members = np.concatenate([hidden, twice])
        n_links = len(linked_members)
        others = self.side(n_workers - n_links, 33, 8, 18, 60, industry_share=1.0)
        _dedupe_ids(others, rng, taken=members.id_body)  # one number, one person
        counts = dict.fromkeys(self.corruption, 0)

        # Non-member workers: missing fields, relatives using a member's phone.
        n_o = len(others)
        others.id_body[rng.random(n_o) < NON_MEMBER["id_missing"]] = 0
        others.phone[rng.random(n_o) < NON_MEMBER["phone_missing"]] = 0
        relatives = np.flatnonzero(rng.random(n_o) < NON_MEMBER["relative_phone"])
        kin = rng.integers(0, n_members, len(relatives))
        for r, k in zip(relatives.tolist(), kin.tolist(), strict=True):
            others.phone[r] = members.phone[k]
            surname = members.name[k][0]
            others.name[r] = surname + others.name[r][1:]
            if rng.random() < 0.7:
                others.district[r] = members.district[k]
        # Namesakes: strangers with a member's name, birth date and gender, their own ID.
        n_namesakes = min(round(NAMESAKES_PER_LINK * n_links), n_o)
        strangers = rng.choice(n_o, n_namesakes, replace=False)
        originals = rng.choice(n_members, n_namesakes)
        for r, k in zip(strangers.tolist(), originals.tolist(), strict=True):
            others.name[r] = members.name[k]
            others.birth[r], others.gender[r] = members.birth[k], members.gender[k]
            # Their own number: born the same day, but registered wherever they were born.
            region = self.id_bodies(np.array([members.birth[k]]), np.array([members.gender[k]]))
            others.id_body[r] = region[0]
            if rng.random() < 0.6:
                others.district[r] = members.district[k]
        _dedupe_ids(others, rng, taken=members.id_body)
        counts["namesakes"] = n_namesakes
        _rederive(others)

        # Hidden members: copies of the member rows, then corrupted.
        names, bodies = [], members.id_body[linked_members].copy()
        birth = members.birth[linked_members].copy()
        gender = members.gender[linked_members].copy()
        phone = members.phone[linked_members].copy()
        district = members.district[linked_members].copy()
        industry = members.industry[linked_members].copy()
        no_industry = (industry == 0) | (rng.random(n_links) < 0.2)
        industry[no_industry] = rng.integers(1, N_INDUSTRIES + 1, int(no_industry.sum()))
        draws = {key: rng.random(n_links) < p for key, p in self.corruption.items()}
        for i, m in enumerate(linked_members.tolist()):
            name = members.name[m]
            if draws["id_missing"][i]:
                bodies[i], birth[i], gender[i] = 0, 0, 0
                counts["id_missing"] += 1
            elif draws["id_mistyped"][i]:
                bodies[i], birth[i], gender[i] = self.mistype_id(int(bodies[i]))
                counts["id_mistyped"] += 1
            if draws["name_traditional"][i] and self.traditional(name) != name:
                name = self.traditional(name)
                counts["name_traditional"] += 1
            elif draws["name_homophone"][i]:
                name = self.homophone(name)
                counts["name_homophone"] += 1
            elif draws["name_nearsound"][i]:
                name = self.nearsound(name)
                counts["name_nearsound"] += 1
            elif draws["name_lookalike"][i]:
                name = self.lookalike(name)
                counts["name_lookalike"] += 1
            if draws["phone_missing"][i]:
                phone[i] = 0
                counts["phone_missing"] += 1
            elif draws["phone_new"][i]:
                phone[i] = self.phones(1)[0]
                counts["phone_new"] += 1
            if draws["district_moved"][i]:
                choices = self.districts[self.districts != district[i]]
                district[i] = choices[rng.integers(len(choices))]
                counts["district_moved"] += 1
            names.append(name)
        hidden_side = Side(names, bodies, birth, gender, phone, district, industry)

        # Shuffle the hidden workers in among the others.
        workers = _concat(others, hidden_side)
        order = rng.permutation(len(workers))
        workers = _take(workers, order)
        position = np.empty(len(order), dtype=np.int64)
        position[order] = np.arange(len(order))
        truth = np.stack([position[n_o + np.arange(n_links)], linked_members], axis=1)
        return Province(workers, members, truth, counts)
