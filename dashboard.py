"""Streamlit entry point: page set-up, navigation and the warehouse the pages read."""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="Early Help and Prevention Strategy", layout="wide")

navigation = st.navigation([st.Page("pages/warehouse.py", title="Warehouse", default=True)])
navigation.run()
