"""A page for AppTest: `webui.breakdowns.show_breakdowns` over a small scope (the fixture's rows and their
progress) — the indicator page calls it with the view's scope of an area and a term."""

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from indicators.ingest.validate import validate_bytes
from indicators.progress.engine import compute_progress
from webui.breakdowns import show_breakdowns

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "breakdowns" / "kim_hai_lao_dong.csv"


@dataclass(frozen=True)
class Scope:
    """What show_breakdowns reads of the view's scope."""

    frame: pd.DataFrame
    result: pd.DataFrame


checked = validate_bytes(FIXTURE.read_bytes(), FIXTURE.name)
assert checked.frame is not None, checked.report.issues
show_breakdowns(Scope(checked.frame, compute_progress(checked.frame)), st.query_params.get("indicator", "lao_dong_qua_dao_tao"),
                st.query_params.get("lang", "vi"))
