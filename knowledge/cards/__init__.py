"""knowledge.cards: explanation cards written once, checked, served instantly.

``schema`` holds the card format (pydantic), ``lint`` the rules a card file must pass, ``library`` loads the shipped
cards (skipping a malformed file with a warning), ``match`` finds the card a learner's question asks for.
"""
