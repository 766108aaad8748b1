"""Italian public holidays: the fixed national ones and Easter Monday.

Hand-written (python-holidays is not a dependency): the list is short and
changes by law only. Easter Sunday falls on a Sunday; a city's patron saint
(Turin's San Giovanni, 24 June) is the caller's to add.
"""

import datetime as dt
from functools import lru_cache

from dateutil.easter import easter

# (month, day): New Year, Epiphany, Liberation Day, Labour Day, Republic Day,
# Assumption, All Saints, Immaculate Conception, Christmas, St Stephen.
FIXED_HOLIDAYS = (
    (1, 1),
    (1, 6),
    (4, 25),
    (5, 1),
    (6, 2),
    (8, 15),
    (11, 1),
    (12, 8),
    (12, 25),
    (12, 26),
)


@lru_cache(maxsize=32)
def italian_public_holidays(year: int) -> frozenset[dt.date]:
    """The national public holidays of `year`."""
    fixed = {dt.date(year, month, day) for month, day in FIXED_HOLIDAYS}
    return frozenset({*fixed, easter(year) + dt.timedelta(days=1)})
