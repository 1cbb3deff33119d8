"""The organization finds members (组织找党员): a pure, columnar record-linkage engine.

No ORM and no plaintext identity data: the engine sees blind-index keys, names, birth dates,
genders, districts and industries as column arrays and returns decisions as arrays;
:mod:`members.services.two_finds` loads the columns and writes the results.

* :mod:`.names` — names folded (traditional → simplified, full-width → half-width,
  separators) and packed into integer keys, with their sound and shape;
* :mod:`.columns` — one side of a match as columns (:class:`People`);
* :mod:`.blocking` — candidate pairs from equal keys;
* :mod:`.compare` — agreement levels per field;
* :mod:`.model` — m and u per level, estimated each run (EM, with priors and bounds);
* :mod:`.engine` — scoring and estimation; :mod:`.decide` — the one-person decision;
  :mod:`.evidence` — what a proposal says about itself (probability, uncertainty, reasons).
"""

from .blocking import BLOCKS, candidate_pairs
from .columns import GENDER_CODES, People, district_code, index_keys, people_from_rows
from .compare import (
    AGREE,
    CLOSE,
    DIFFER,
    ID_LABELS,
    LEVEL_LABELS,
    MISSING,
    NAME_LABELS,
    TYPO,
    birth_levels,
    clerk_patterns,
    name_levels,
    plain_levels,
)
from .decide import AUTO, DISCARD, REVIEW, TIE_MARGIN, decide
from .engine import (
    DEFAULT_THRESHOLDS,
    MatchResult,
    Scored,
    all_levels,
    estimate,
    match,
    score,
    score_pairs,
)
from .evidence import REASONS, evidence, evidence_many, reasons, uncertainty
from .model import FIELDS, PRIOR, Model
from .names import NameTable

__all__ = [
    "AGREE",
    "AUTO",
    "BLOCKS",
    "CLOSE",
    "DEFAULT_THRESHOLDS",
    "DIFFER",
    "DISCARD",
    "FIELDS",
    "GENDER_CODES",
    "ID_LABELS",
    "LEVEL_LABELS",
    "MISSING",
    "NAME_LABELS",
    "PRIOR",
    "REASONS",
    "REVIEW",
    "TIE_MARGIN",
    "TYPO",
    "MatchResult",
    "Model",
    "NameTable",
    "People",
    "Scored",
    "all_levels",
    "birth_levels",
    "candidate_pairs",
    "clerk_patterns",
    "decide",
    "district_code",
    "estimate",
    "evidence",
    "evidence_many",
    "index_keys",
    "match",
    "name_levels",
    "people_from_rows",
    "plain_levels",
    "reasons",
    "score",
    "score_pairs",
    "uncertainty",
]
