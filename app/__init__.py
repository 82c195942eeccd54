"""quant-tutor front ends: the Typer CLI and the Streamlit app."""
