"""The admin face of workers, party members, transfer letters and the two finds.

Built on :class:`~organizations.scoped.ScopedModelAdmin`: lists, change views, FK choices and
filters are scoped; saves go through ``members.services.people``. Resident IDs and phones never
reach the page in clear: lists and forms show the masked value, a form takes a *new* value in
an input that never renders one (empty keeps the stored value), and the full value comes only
from the "reveal" page, for users with ``core.reveal_pii``, with a reason, written to the
access log. Searching by an exact ID or phone goes through the blind index.
"""

from . import finds, party_members, workers  # noqa: F401  (each module registers its admins)
