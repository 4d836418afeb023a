"""Areas as a hierarchy: the register of units (province, district, commune) over time, the crosswalk of
the 2025 reorganisation, and roll-ups of children's figures to their parents.

>>> from indicators.areas import default_register
>>> reg = default_register()
>>> reg.level_of("Xã Kim Hải"), reg.parent_of("Xã Quang Thiện", date(2024, 12, 31)), reg.parent_of("Xã Quang Thiện")
('commune', 'Huyện Kim Sơn', 'Tỉnh Ninh Bình')
>>> len(reg.children_of("Tỉnh Ninh Bình")), len(reg.children_of("Huyện Kim Sơn", date(2022, 12, 31)))
(129, 25)
"""

from __future__ import annotations

from datetime import date

from indicators.areas.crosswalk import Crosswalk, Link, default_crosswalk
from indicators.areas.register import LEVELS, Register, Unit, check_areas, default_register, level_from_name
from indicators.areas.rollup import rollup
from indicators.i18n import t

__all__ = ["LEVELS", "Crosswalk", "Link", "Register", "Unit", "check_areas", "date", "default_crosswalk",
           "default_register", "level_from_name", "level_label", "rollup"]


def level_label(level: str, lang: str = "vi") -> str:
    """'commune' -> 'Cấp xã' / 'Commune' (ValueError for a level that is not one of LEVELS)."""
    if level not in LEVELS:
        raise ValueError(f"level '{level}' is not one of {', '.join(LEVELS)}")
    return t(f"level_{level}", lang)
