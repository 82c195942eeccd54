"""Page: roadmap."""

import streamlit as st

st.title("roadmap")
st.info("Coming soon.")
