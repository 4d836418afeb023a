"""Sub-areas (communes, townships, wards) and the standards each has reached.

Nothing here knows a place name. Every area but the dataset's main area (`present.view.main_area`: the one the
term's targets are set for) is a sub-area. A standard is an indicator measured on sub-areas whose
values are all 0 or 1 (1 = recognised); the standards' order in the file is their ladder, lowest first, so a
unit's highest standard is the last one it has reached.
"""

from __future__ import annotations

import pandas as pd

from indicators.i18n import indicator_name


def standards_table(frame: pd.DataFrame, main_area: str, lang: str = "vi") -> pd.DataFrame:
    """One row per sub-area: its highest standard, when and where from, and a column per standard (bool).

    `table.attrs["ladder"]` lists the standards' display names, lowest first.
    """
    sub = frame[(frame["area"] != main_area) & frame["kind"].isin(["actual", "estimate"])]
    flags = sub.groupby("indicator_id", sort=False)["value"].agg(lambda v: bool(v.isin([0, 1]).all()))
    ladder_ids = [i for i in flags.index if flags[i]]
    sub = sub[sub["indicator_id"].isin(ladder_ids)].sort_values("period_end", kind="stable")
    names = {
        iid: indicator_name(sub[sub["indicator_id"] == iid].iloc[0], lang) for iid in ladder_ids
    }
    latest = sub.drop_duplicates(["area", "indicator_id"], keep="last")
    reached = latest[latest["value"] >= 1]
    first_hit = sub[sub["value"] >= 1].drop_duplicates(["area", "indicator_id"], keep="first")
    areas = list(dict.fromkeys(sub["area"]))
    table = pd.DataFrame({"area": areas})
    table["standard"] = ""
    table["since"] = ""
    table["source"] = ""
    for iid in ladder_ids:  # lowest to highest: later standards overwrite earlier ones
        hit = first_hit[first_hit["indicator_id"] == iid].set_index("area")
        has = table["area"].isin(reached.loc[reached["indicator_id"] == iid, "area"])
        table[names[iid]] = has
        table.loc[has, "standard"] = names[iid]
        table.loc[has, "since"] = table.loc[has, "area"].map(hit["period"]).astype(str)
        table.loc[has, "source"] = table.loc[has, "area"].map(hit["source"]).astype(str)
    table.attrs["ladder"] = [names[i] for i in ladder_ids]
    return table
