"""The two-finds engine on small known data: no database, columns in, decisions out."""

import datetime as dt

import numpy as np
import pytest

from members import matching as mt

BIRTH = dt.date(1990, 3, 14).toordinal()
DISTRICT_A, DISTRICT_B = 320402, 320404


def person(pk, name, *, id_key=0, phone=0, birth=0, gender=0, district=0, industry=0):
    return dict(
        pk=pk,
        name=name,
        id_key=id_key,
        phone=phone,
        birth=birth,
        gender=gender,
        district=district,
        industry=industry,
    )


def side(names: mt.NameTable, rows, **extra) -> mt.People:
    return mt.People(
        pk=[r["pk"] for r in rows],
        id_key=[r["id_key"] for r in rows],
        phone_key=[r["phone"] for r in rows],
        name_key=names.encode([r["name"] for r in rows]),
        birth=[r["birth"] for r in rows],
        gender=[r["gender"] for r in rows],
        district=[r["district"] for r in rows],
        industry=[r["industry"] for r in rows],
        **extra,
    )


def run(workers, members, **kwargs):
    names = mt.NameTable()
    member_side = side(names, members, **kwargs.pop("member_extra", {}))
    worker_side = side(names, workers, **kwargs.pop("worker_extra", {}))
    result = mt.match(worker_side, member_side, names, **kwargs)
    decided = {
        (int(result.worker_pk[i]), int(result.member_pk[i])): int(result.status[i])
        for i in range(len(result))
    }
    return result, decided, (names, worker_side, member_side)


MEMBER = person(
    1, "张伟", id_key=111, phone=555, birth=BIRTH, gender=1, district=DISTRICT_A, industry=1
)


def test_the_same_id_number_is_an_exact_auto_accepted_match():
    worker = person(10, "张玮", id_key=111, phone=999, birth=BIRTH, gender=1, district=DISTRICT_B)
    result, decided, _ = run([worker], [MEMBER])
    assert decided == {(10, 1): mt.AUTO}
    assert result.rule(0) == "exact_id"
    assert result.counts["exact"] == 1


def test_a_homophone_name_with_a_mistyped_id_and_the_same_phone_is_a_fuzzy_accept():
    # The worker's ID was mistyped: another valid number one digit away (the job recognizes
    # the clerk's pattern by comparing the digits of the few pairs it asks about).
    worker = person(10, "章伟", id_key=222, phone=555, birth=BIRTH, gender=1, district=DISTRICT_A)
    asked = []

    def id_typo(wi, mi):
        asked.append((wi.tolist(), mi.tolist()))
        return np.ones(len(wi), dtype=bool)

    result, decided, context = run([worker], [MEMBER], id_typo=id_typo)
    assert decided == {(10, 1): mt.AUTO}
    assert asked == [([0], [0])]
    assert result.rule(0) == "fuzzy"
    evidence = result.evidence(0, *context)
    assert evidence["fields"]["name"]["level"] == "homophone"
    assert evidence["fields"]["name"]["worker"] == "章伟"
    assert evidence["fields"]["phone"]["level"] == "agree"
    assert evidence["fields"]["id_number"]["level"] == "typo"
    assert {"phone", "birth_surname"} <= set(evidence["blocks"])


def test_two_different_valid_ids_are_strong_evidence_against():
    # Same name, phone, birth date and district, but two real, different ID numbers.
    worker = person(10, "张伟", id_key=222, phone=555, birth=BIRTH, gender=1, district=DISTRICT_A)
    result, decided, context = run(
        [worker], [MEMBER], id_typo=lambda wi, mi: np.zeros(len(wi), dtype=bool)
    )
    assert decided.get((10, 1)) != mt.AUTO
    if decided:
        evidence = result.evidence(0, *context)
        assert evidence["fields"]["id_number"]["level"] == "differ"
        assert evidence["fields"]["id_number"]["weight"] <= -13
        assert "id_differ" in evidence["reasons"]


def test_a_different_person_with_the_same_birth_date_and_surname_is_never_auto_accepted():
    other = person(10, "张芳", id_key=333, phone=777, birth=BIRTH, gender=1, district=DISTRICT_A)
    result, decided, _ = run([other], [MEMBER])
    assert decided.get((10, 1)) in (None, mt.REVIEW)
    assert result.counts["candidates"] == 1  # it was a candidate, and was judged


def test_a_worker_without_an_id_is_found_by_phone():
    # No ID: no birth date or gender either (both are derived from it).
    worker = person(10, "张伟", phone=555, district=DISTRICT_A, industry=1)
    result, decided, context = run([worker], [MEMBER])
    assert decided == {(10, 1): mt.AUTO}
    evidence = result.evidence(0, *context)
    assert evidence["fields"]["id_number"] == {"level": "missing", "weight": 0.0}
    assert evidence["fields"]["birth_date"]["level"] == "missing"


def test_evidence_holds_levels_and_weights_but_no_identity_values():
    worker = person(10, "张伟", id_key=111, phone=555, birth=BIRTH, gender=1, district=DISTRICT_A)
    result, _, context = run([worker], [MEMBER])
    evidence = result.evidence(0, *context)
    assert set(evidence["fields"]) == set(mt.FIELDS)
    flat = repr(evidence)
    assert "111" not in flat and "555" not in flat
    assert evidence["score"] == pytest.approx(float(result.score[0]), abs=0.01)


def test_one_member_per_worker_ties_go_to_review():
    # The roster holds the same person twice (two records, same name and phone).
    twin = {**MEMBER, "pk": 2, "id_key": 112}
    worker = person(10, "张伟", phone=555, district=DISTRICT_A)
    _, decided, _ = run([worker], [MEMBER, twin])
    assert decided == {(10, 1): mt.REVIEW, (10, 2): mt.REVIEW}


def test_the_best_member_is_accepted_and_weaker_candidates_of_that_worker_discarded():
    namesake = person(
        2, "张伟", id_key=444, phone=0, birth=BIRTH, gender=1, district=DISTRICT_A
    )  # same name, birth date and district, another ID
    worker = person(10, "张伟", id_key=111, phone=555, birth=BIRTH, gender=1, district=DISTRICT_A)
    _, decided, _ = run([worker], [MEMBER, namesake])
    assert decided == {(10, 1): mt.AUTO}


def test_a_worker_already_linked_is_not_auto_accepted_again():
    worker = person(10, "张伟", id_key=111, phone=555, birth=BIRTH, gender=1, district=DISTRICT_A)
    _, decided, _ = run([worker], [MEMBER], worker_extra={"linked": [True]})
    assert decided == {(10, 1): mt.REVIEW}


def test_an_excluded_pair_is_never_proposed():
    worker = person(10, "张伟", id_key=111, phone=555, birth=BIRTH, gender=1, district=DISTRICT_A)
    result, decided, _ = run([worker], [MEMBER], excluded_pairs=[(10, 1)])
    assert decided == {}
    assert result.counts["excluded"] == 1


def test_pairs_with_no_pending_side_are_skipped():
    worker = person(10, "张伟", id_key=111, phone=555, birth=BIRTH, gender=1, district=DISTRICT_A)
    new_member = person(2, "李娜", id_key=5, birth=BIRTH + 400, gender=2, district=DISTRICT_B)
    result, decided, _ = run(
        [worker],
        [MEMBER, new_member],
        worker_extra={"pending": [False]},
        member_extra={"pending": [False, True]},
    )
    assert decided == {}
    assert result.counts["candidates"] == 0


def test_thresholds_decide_between_accept_review_and_discard():
    worker = person(10, "张伟", phone=555, district=DISTRICT_A)
    result, _, _ = run([worker], [MEMBER])
    score = float(result.score[0])
    _, review, _ = run([worker], [MEMBER], thresholds={"accept": score + 1, "review": score - 1})
    _, discard, _ = run([worker], [MEMBER], thresholds={"accept": score + 2, "review": score + 1})
    assert review == {(10, 1): mt.REVIEW}
    assert discard == {}


def test_a_homophone_surname_still_meets_in_the_birth_date_and_surname_block():
    worker = person(10, "章芳", id_key=9, birth=BIRTH, gender=1, district=DISTRICT_B)
    names = mt.NameTable()
    members = side(names, [MEMBER])
    workers = side(names, [worker])
    wi, mi, bits = mt.candidate_pairs(workers, members, names)
    assert list(zip(wi.tolist(), mi.tolist(), strict=True)) == [(0, 0)]
    assert bits[0] & (1 << mt.BLOCKS.index("birth_surname"))


def test_name_keys_pinyin_and_surnames():
    names = mt.NameTable()
    keys = names.encode(["张伟", "章伟", "张伟", "欧阳娜娜", "阿卜杜·热合曼", "", "张 伟"])
    assert keys[0] == keys[2] == keys[6]  # spaces are not part of a name
    assert keys[0] != keys[1] and keys[5] == 0
    pinyin = names.pinyin_keys(keys)
    assert pinyin[0] == pinyin[1]
    surnames = names.surname_keys(keys)
    assert surnames[0] == surnames[1]
    assert surnames[3] != names.surname_keys(names.encode(["欧娜"]))[0]  # 欧阳 is one surname
    texts, sounds = names.texts(keys)
    assert texts[:2] == ["张伟", "章伟"] and sounds[0] == "zhang wei"
    assert texts[4] == "阿卜杜热合曼"  # the long transcribed name takes the Python path


def test_birth_date_levels():
    day = dt.date(1990, 3, 14)
    a = np.array([day.toordinal()] * 4 + [0])
    b = np.array(
        [
            day.toordinal(),
            dt.date(1990, 3, 15).toordinal(),  # one digit off
            dt.date(1991, 3, 14).toordinal(),  # one digit off in the year
            dt.date(1985, 7, 2).toordinal(),
            day.toordinal(),
        ]
    )
    assert mt.birth_levels(a, b).tolist() == [mt.AGREE, mt.CLOSE, mt.CLOSE, mt.DIFFER, mt.MISSING]
    swapped = mt.birth_levels(
        np.array([dt.date(1990, 3, 4).toordinal()]), np.array([dt.date(1990, 4, 3).toordinal()])
    )
    assert swapped.tolist() == [mt.CLOSE]


def test_index_keys_parse_blind_indexes():
    hex_a = "0123456789abcdef" + "0" * 48
    keys = mt.index_keys([hex_a, hex_a.upper(), "", "f" * 64])
    assert keys[0] == keys[1] == 0x0123456789ABCDEF
    assert keys[2] == 0 and keys[3] == 2**64 - 1


def test_people_from_rows_reads_database_values():
    names = mt.NameTable()
    rows = [
        (7, "ab" * 32, "", "张伟", dt.date(1990, 3, 14), "male", 5, 3, True, False),
        (8, "", "cd" * 32, "李娜", None, "", None, None, False, True),
    ]
    people = mt.people_from_rows(rows, names, district_of={5: 320402})
    assert people.pk.tolist() == [7, 8]
    assert people.birth.tolist() == [BIRTH, 0]
    assert people.gender.tolist() == [1, 0]
    assert people.district.tolist() == [320402, 0]
    assert people.pending.tolist() == [True, False] and people.linked.tolist() == [False, True]
    assert (people.id_key != 0).tolist() == [True, False]
