"""Synthetic rosters with hidden party members and the truth: the two-finds benchmark
(``bench/two_finds.py``) and the demo (``members/demo.py``) both draw from here.

Realistic on the points that make matching hard:

* names: Faker zh_CN surnames with their frequencies and given names built from Faker's given
  names and common given-name characters (numpy random choice, not 2M Faker calls), so that
  namesakes occur about as often as in real rosters (~1e-5 per pair);
* valid resident IDs (GB 11643 check digit) whose birth date and gender are the person's;
  phones with real mobile prefixes; 13 cities × 8 districts; 5 industries;
* non-member workers: 4% without an ID (survey rosters), 1% without a phone, 0.2% using the
  phone of a member's relative (same surname, often the same district), and *namesakes*:
  strangers with a member's name, birth date and gender but their own valid ID (registered
  where they were born) and phone (20% as many as hidden members; 60% working in the
  member's district) — common in Chinese rosters;
* most members are not among the workers (a hidden member is 1% of the workers);
* hidden members (1% of workers, 5% of them on two rosters) copied from the member roster and
  then corrupted independently, at rates listed in :data:`CORRUPTION`: ID missing or mistyped
  (one digit changed, or two adjacent digits swapped, and the check digit recomputed, as
  intake rejects bad checksums, so a typo in the birth-date digits moves the birth date), the
  name in traditional characters, a homophone, a near-sound (陈/程, 林/玲) or look-alike
  (王/玉) character in the name, a new or missing phone, a moved district.

Everything is generated with numpy from a seed; the truth is the list of (worker, member) rows.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np

from core.identity import ric_check_char
from members.names import char_pinyin, fuzzy_syllable

#: Chance of each corruption of a hidden member's worker record (independent draws).
CORRUPTION = {
    "id_missing": 0.05,
    "id_mistyped": 0.03,
    "name_traditional": 0.04,
    "name_homophone": 0.07,
    "name_nearsound": 0.02,
    "name_lookalike": 0.03,
    "phone_new": 0.12,
    "phone_missing": 0.02,
    "district_moved": 0.15,
}
NON_MEMBER = {"id_missing": 0.04, "phone_missing": 0.01, "relative_phone": 0.002}
NAMESAKES_PER_LINK = 0.2
HIDDEN_SHARE = 0.01  # of workers
DUPLICATE_SHARE = 0.05  # of hidden members, on a second roster

#: Common given-name characters besides Faker's (which has only ~100).
EXTRA_GIVEN_CHARS = (
    "子梓涵轩然怡思雨嘉梦琪晓诗语睿泽辰天奕航昊乐可心悦安一若依诺沐宸铭豪宏振德正"
    "家庆福贵长春永红卫东方圆青松柏梁栋翔鸿志远晖光耀烨炜煜琦琛瑶璇菲蕾薇蓉萱芸"
    "娇媛婉妍姝嫣岚露霖雯雅静婧妮晴朗舒彤蕊蓓月星辰海波涛洪浩淼清源江河山峻岭"
)

#: Look-alike characters with a different reading (形近字), both ways.
LOOKALIKE_PAIRS = [
    "王玉",
    "明朋",
    "军车",
    "宇字",
    "永水",
    "华毕",
    "秀季",
    "英央",
    "丹舟",
    "宁丁",
    "龙尤",
    "林材",
    "凯岂",
    "帅师",
    "超起",
    "波坡",
    "士土",
    "天夫",
    "大太",
    "己已",
    "未末",
    "白百",
    "千干",
    "午牛",
    "人入",
    "晴睛",
    "日曰",
    "今令",
    "侯候",
    "贝见",
    "鸟乌",
]
LOOKALIKE = {a: b for a, b in LOOKALIKE_PAIRS} | {b: a for a, b in LOOKALIKE_PAIRS}

PHONE_PREFIXES = np.array(
    [130, 131, 132, 133, 135, 136, 137, 138, 139, 150, 151, 152, 155, 157, 158, 159, 166,
     173, 176, 177, 180, 181, 182, 183, 185, 186, 187, 188, 189, 191, 198, 199],
    dtype=np.int64,
)  # fmt: skip
OTHER_PROVINCES = (
    "340", "341", "410", "411", "370", "371", "510", "511", "420", "430", "360", "330", "130"
)  # fmt: skip
N_INDUSTRIES = 5
TODAY = dt.date(2026, 12, 1)


def _gb2312_level1() -> list[str]:
    return [
        bytes([a, b]).decode("gb2312")
        for a in range(0xB0, 0xD8)
        for b in range(0xA1, 0xFF)
        if not (a == 0xD7 and b > 0xF9)
    ]


def _homophones() -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for char in _gb2312_level1():
        groups.setdefault(char_pinyin(char), []).append(char)
    return {c: [o for o in groups[char_pinyin(c)] if o != c] for g in groups.values() for c in g}


def districts() -> list[int]:
    """13 cities × 8 districts, six-digit codes 32CC0D."""
    return [int(f"32{c:02d}{d:02d}") for c in range(1, 14) for d in range(1, 9)]


@dataclasses.dataclass
class Side:
    """One roster as columns; plaintext ``id_body``/``phone`` only to derive keys and, for the
    DB-backed run, the values written through the protected fields."""

    name: list[str]
    id_body: np.ndarray  # int64 of the first 17 digits, 0 = no id
    birth: np.ndarray  # ordinal, 0 = unknown (derived from the id)
    gender: np.ndarray  # 0/1/2
    phone: np.ndarray  # int64, 0 = no phone
    district: np.ndarray  # six-digit code
    industry: np.ndarray  # 1..5, 0 = unknown

    def __len__(self) -> int:
        return len(self.name)

    def id_numbers(self) -> list[str]:
        out = []
        for body in self.id_body.tolist():
            if body:
                text = f"{body:017d}"
                out.append(text + ric_check_char(text))
            else:
                out.append("")
        return out

    def phones(self) -> list[str]:
        return [f"{p:011d}" if p else "" for p in self.phone.tolist()]


@dataclasses.dataclass
class Province:
    workers: Side
    members: Side
    truth: np.ndarray  # (n, 2) worker row, member row
    corruption_counts: dict[str, int]


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
        ymd = _yyyymmdd(birth)
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


def _yyyymmdd(ordinals: np.ndarray) -> np.ndarray:
    days = (np.asarray(ordinals) - 719_163).astype("datetime64[D]")
    years = days.astype("datetime64[Y]")
    months = days.astype("datetime64[M]")
    y = years.astype(np.int64) + 1970
    m = (months - years.astype("datetime64[M]")).astype(np.int64) + 1
    d = (days - months.astype("datetime64[D]")).astype(np.int64) + 1
    return y * 10_000 + m * 100 + d


def _rederive(side: Side) -> None:
    """Birth date and gender exist only where there is an id (they are derived from it)."""
    none = side.id_body == 0
    side.birth[none] = 0
    side.gender[none] = 0


def _dedupe_ids(side: Side, rng, taken: np.ndarray | None = None) -> None:
    """Give an id that another person already holds (in ``side`` or ``taken``) another
    sequence number of the same parity (so the same gender): real numbers are unique."""
    taken = np.zeros(0, dtype=np.int64) if taken is None else taken
    for _ in range(10):
        _, first = np.unique(side.id_body, return_index=True)
        clash = np.ones(len(side), dtype=bool)
        clash[first] = False
        clash |= np.isin(side.id_body, taken)
        clash &= side.id_body != 0
        dup = np.flatnonzero(clash)
        if not len(dup):
            return
        seq = side.id_body[dup] % 1000
        new = (seq + 2 * rng.integers(1, 400, len(dup))) % 1000
        side.id_body[dup] += new - seq


def _concat(a: Side, b: Side) -> Side:
    return Side(
        a.name + b.name,
        *(np.concatenate([getattr(a, f), getattr(b, f)]) for f in
          ("id_body", "birth", "gender", "phone", "district", "industry")),
    )  # fmt: skip


def _take(side: Side, order: np.ndarray) -> Side:
    names = side.name
    return Side(
        [names[i] for i in order.tolist()],
        *(getattr(side, f)[order] for f in
          ("id_body", "birth", "gender", "phone", "district", "industry")),
    )  # fmt: skip


# --- blind-index stand-ins for the in-memory engine run ------------------------------------------


def _splitmix64(x: np.ndarray, salt: int) -> np.ndarray:
    with np.errstate(over="ignore"):
        z = x.astype(np.uint64) + np.uint64(salt)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


_HEX = np.array(list(b"0123456789abcdef"), dtype=np.uint8)


def hex_index(values: np.ndarray, salt: int) -> list[str]:
    """Hex strings standing in for the HMAC blind indexes the database holds: a keyed 64-bit
    hash of the value (16 hex characters; the engine reads only the first 16 anyway), ``""``
    for no value."""
    hashed = _splitmix64(values, salt)
    as_bytes = hashed.astype(">u8").view(np.uint8).reshape(-1, 8)
    chars = np.empty((len(values), 16), dtype=np.uint8)
    chars[:, 0::2] = _HEX[as_bytes >> 4]
    chars[:, 1::2] = _HEX[as_bytes & 15]
    text = chars.view("S16").ravel().astype("U16").tolist()
    for i in np.flatnonzero(values == 0).tolist():
        text[i] = ""
    return text
