"""Page: knowledge."""

import streamlit as st

st.title("knowledge")
st.info("Coming soon.")
