"""Indy's dialogue: the conversation's context, the safety layer, what a message says in
passing, and the engine that decides what to answer (see engine.py)."""
