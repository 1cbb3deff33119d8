"""Writes of the members app, one module per area: ``people`` (workers, members, letters),
``intake`` (rosters), ``two_finds`` (the matching job), ``cases`` (the found-member flow) and
``claims`` (members reporting in)."""
