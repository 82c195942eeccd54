"""Page: finance_lab."""

import streamlit as st

st.title("finance_lab")
st.info("Coming soon.")
