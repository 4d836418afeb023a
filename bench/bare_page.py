"""The reference of `make bench`: a bare Streamlit page that draws one small Plotly chart, nothing else."""

import plotly.graph_objects as go
import streamlit as st

st.plotly_chart(go.Figure(go.Bar(x=["a", "b", "c"], y=[1, 3, 2])), key="chart")
