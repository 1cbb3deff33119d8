"""ID- and phone-shaped numbers in free text: one pattern for the two uses.

* :func:`mask_in_text` for pages and answers: each number masked as the protected fields
  mask it (``3204**********123X``, ``139****5678``), so a reader still recognises it;
* :func:`scrub` for log lines: masked whole.

No import of models here: the logging configuration imports this before the apps are ready.
"""

from __future__ import annotations

import re

#: What a resident ID number (18 characters, or a legacy 15 digits) or a mainland mobile
#: number looks like in free text. Not the decimals of a number ("succeeded in
#: 0.061837657000069s"): digits right after "<digit>." are a fraction, not an identity.
PERSONAL_NUMBER = re.compile(
    r"(?<![0-9A-Za-z])(?<!\d\.)(?:(?P<id>\d{17}[\dXx]|\d{15})|(?P<phone>(?:\+?86)?1[3-9]\d{9}))(?!\d)"
)


def scrub(text: str) -> str:
    """``text`` with anything shaped like a resident ID or a mobile number masked whole."""
    return PERSONAL_NUMBER.sub(lambda m: "*" * len(m.group()), text)


def mask_in_text(text: str) -> str:
    """``text`` with each ID- or phone-shaped number masked as its protected field would be."""
    from .pii import mask_phone, mask_resident_id

    def mask(match: re.Match) -> str:
        if match.group("id"):
            return mask_resident_id(match.group())
        return mask_phone(match.group())

    return PERSONAL_NUMBER.sub(mask, text or "")
