"""The baseline page of `bench.landing`: one Plotly chart and one table, nothing computed.

What any Streamlit page costs a new session (the framework, the widget code,
Plotly), so the landing page's time can be read as a multiple of it.
"""

import pandas as pd
import plotly.express as px
import streamlit as st

frame = pd.DataFrame(
    {
        "period": [f"{year} H{half}" for year in range(2019, 2025) for half in (1, 2)],
        "value": [60.2, 61.5, 63.0, 62.4, 66.1, 68.9, 70.3, 72.8, 75.0, 79.4, 81.2, 84.9],
    }
)
st.title("A trivial page")
st.plotly_chart(px.line(frame, x="period", y="value", markers=True))
st.dataframe(frame)
st.caption("Open Government Licence")  # the same last element the dashboard's pages end with
