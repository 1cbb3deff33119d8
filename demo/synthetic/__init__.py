"""Synthetic rosters with hidden party members and the truth: the two-finds benchmark
(``bench/two_finds.py``) and the demo (``demo/members.py``) both draw from here.

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

Everything is generated with numpy from a seed; the truth is the list of (worker, member) ro

The package: ``tables`` the rates and character tables, ``sides`` the rosters as columns,
``generator`` the :class:`Generator`, ``blind_index`` the stand-ins for blind indexes.
"""

from __future__ import annotations

from .blind_index import hex_index
from .generator import Generator
from .sides import Province, Side
from .tables import CORRUPTION, TODAY, districts

__all__ = ["CORRUPTION", "TODAY", "Generator", "Province", "Side", "districts", "hex_index"]
