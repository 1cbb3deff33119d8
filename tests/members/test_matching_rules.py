"""The matching rules a reviewer relies on: namesakes, one person per link, folded names,
look-alike characters, the model estimated from the data, and why a pair is uncertain."""

import datetime as dt

import numpy as np
import pytest

from demo.synthetic import Generator, hex_index
from members import matching as mt
from members.names import fold_name, fuzzy_syllable, shape_code, shapes_alike

BIRTH = dt.date(1988, 6, 21).toordinal()
A, B = 320402, 320404


def side(names, rows, **extra):
    return mt.People(
        pk=[r[0] for r in rows],
        id_key=[r[2] for r in rows],
        phone_key=[r[3] for r in rows],
        name_key=names.encode([r[1] for r in rows]),
        birth=[BIRTH if r[2] else 0 for r in rows],
        gender=[1 if r[2] else 0 for r in rows],
        district=[r[4] for r in rows],
        industry=[1] * len(rows),
        **extra,
    )


def decide(workers, members, **kwargs):
    names = mt.NameTable()
    m = side(names, members, **kwargs.pop("member_extra", {}))
    w = side(names, workers, **kwargs.pop("worker_extra", {}))
    result = mt.match(w, m, names, **kwargs)
    out = {
        (int(result.worker_pk[i]), int(result.member_pk[i])): int(result.status[i])
        for i in range(len(result))
    }
    return result, out, (names, w, m)


#: (pk, name, id key, phone key, district)
MEMBER = (1, "陈玲", 111, 555, A)
NAMESAKE = (20, "陈玲", 999, 777, A)  # same name, birth date, district; own ID and phone


def no_typo(wi, mi):
    return np.zeros(len(wi), dtype=bool)


def test_a_namesake_with_a_different_valid_id_is_never_auto_accepted():
    _, decided, _ = decide([NAMESAKE], [MEMBER], id_typo=no_typo)
    assert decided.get((20, 1)) != mt.AUTO


def test_a_namesake_is_not_proposed_when_the_member_has_an_exact_link():
    found = (10, "陈玲", 111, 0, B)  # the member herself, by ID, elsewhere in the city
    namesake_without_id = (21, "陈玲", 0, 0, A)
    _, decided, _ = decide([found, NAMESAKE, namesake_without_id], [MEMBER], id_typo=no_typo)
    assert decided == {(10, 1): mt.AUTO}


def test_an_exact_link_from_an_earlier_run_also_keeps_namesakes_out():
    namesake_without_id = (21, "陈玲", 0, 0, A)
    names = mt.NameTable()
    m = side(names, [MEMBER])
    w = side(names, [namesake_without_id])
    scored = mt.score(w, m, names, model=mt.Model.prior(), review=0.0)
    status, _, _ = mt.decide(
        w.pk[scored.worker],
        m.pk[scored.member],
        scored.score,
        scored.exact,
        accept=27,
        review=0.0,
        linked_members=[1],
        exact_members=[1],
    )
    assert (status == mt.DISCARD).all()


@pytest.mark.parametrize("written", ["陳玲", "陈 玲", "陳・玲", "ＣＨＥＮ Ling"[:0] + "陳玲"])
def test_a_traditional_character_name_auto_accepts_when_the_phone_agrees(written):
    worker = (10, written, 0, 555, A)  # no ID on this roster; the member's phone
    result, decided, context = decide([worker], [MEMBER])
    assert decided == {(10, 1): mt.AUTO}
    assert result.evidence(0, *context)["fields"]["name"]["level"] == "exact"


def test_a_traditional_character_name_auto_accepts_when_the_id_agrees():
    worker = (10, "陳玲", 111, 0, B)
    result, decided, _ = decide([worker], [MEMBER])
    assert decided == {(10, 1): mt.AUTO} and result.rule(0) == "exact_id"


def test_names_are_folded_before_comparison():
    assert fold_name("陳 瑋婷") == "陈玮婷"
    assert fold_name("阿卜杜·热合曼") == fold_name("阿卜杜 热合曼") == "阿卜杜热合曼"
    assert fold_name("ＬＩ　Ｌｅｉ") == "lilei"


def test_look_alike_characters_by_sound_and_by_shape():
    assert fuzzy_syllable("cheng") == fuzzy_syllable("chen")  # 程 / 陈
    assert fuzzy_syllable("ling") == fuzzy_syllable("lin")  # 玲 / 林
    assert shapes_alike(shape_code("王"), shape_code("玉"))
    assert shapes_alike(shape_code("宇"), shape_code("字"))
    assert not shapes_alike(shape_code("王"), shape_code("张"))
    names = mt.NameTable()
    keys = names.encode(["陈玲", "程玲", "陈林", "王伟", "玉伟", "陈芳"])
    members = np.repeat(keys[[0, 0, 0, 3, 3]], 1)
    levels, _, _ = mt.name_levels(keys[[1, 2, 5, 4, 5]], members, names)
    labels = [mt.NAME_LABELS[int(level)] for level in levels]
    assert labels[0] == labels[1] == labels[3] == "alike"  # 程/陈 and 林/玲 sound, 玉/王 looks
    assert labels[2] != "alike"  # 芳 is neither


def test_competing_proposals_for_one_member_are_ranked_and_shown_together():
    twins = [(10, "陈玲", 0, 555, A), (11, "陈玲", 0, 555, A)]  # a shared family phone
    result, decided, context = decide(twins, [MEMBER])
    assert set(decided.values()) == {mt.REVIEW}
    evidence = [result.evidence(i, *context) for i in range(len(result))]
    assert sorted(e["rank"] for e in evidence) == [1, 2]
    assert all(e["rivals"] == 1 and "competing" in e["reasons"] for e in evidence)


def test_each_proposal_says_why_it_is_uncertain_and_how_much():
    worker = (10, "陈林", 0, 0, A)  # no ID, no phone, a near-sound character
    result, decided, context = decide([worker], [MEMBER], thresholds={"review": 5})
    evidence = result.evidence(0, *context)
    assert decided == {(10, 1): mt.REVIEW}
    assert {"id_missing", "name_alike", "phone_missing"} <= set(evidence["reasons"])
    assert 0 < evidence["uncertainty"] <= 1
    assert mt.uncertainty(0.5) == pytest.approx(1.0)
    assert mt.uncertainty(0.999) < mt.uncertainty(0.9) < mt.uncertainty(0.6)


def test_m_and_u_are_estimated_from_the_data_within_bounds():
    province = Generator(5).province(20_000, 1_000)
    names = mt.NameTable()

    def people(s):
        return mt.People(
            pk=np.arange(1, len(s) + 1),
            id_key=mt.index_keys(hex_index(s.id_body, 1)),
            phone_key=mt.index_keys(hex_index(s.phone, 2)),
            name_key=names.encode(s.name),
            birth=s.birth,
            gender=s.gender,
            district=s.district,
            industry=s.industry,
        )

    members, workers = people(province.members), people(province.workers)
    model = mt.estimate(workers, members, names)
    assert model.source == "em"
    # u of an exact district agreement is what the rosters' districts give (~1/104).
    assert model.u["district"][mt.AGREE] == pytest.approx(1 / 104, rel=0.3)
    # m of phone agreement follows the hidden members' phones (~86% kept), not the prior.
    w, m = province.truth[:, 0], province.truth[:, 1]
    both = (province.workers.phone[w] != 0) & (province.members.phone[m] != 0)
    kept = float((province.workers.phone[w] == province.members.phone[m])[both].mean())
    assert model.m["phone"][mt.AGREE] == pytest.approx(kept, abs=0.06)
    # Bounds hold whatever the data: two real, different IDs weigh at least 13 bits against.
    assert model.weight("id_number", mt.DIFFER) <= -13
    assert mt.Model.from_dict(model.as_dict()).weight("phone", mt.AGREE) == pytest.approx(
        model.weight("phone", mt.AGREE)
    )
