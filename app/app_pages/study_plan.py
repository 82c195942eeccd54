"""Page: study_plan."""

import streamlit as st

st.title("study_plan")
st.info("Coming soon.")
