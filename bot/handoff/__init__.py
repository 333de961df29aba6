"""Handing a conversation to a human counsellor, and back: tickets, routing, outbox, accounts."""
