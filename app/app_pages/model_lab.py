"""Page: model_lab."""

import streamlit as st

st.title("model_lab")
st.info("Coming soon.")
