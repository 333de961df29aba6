"""The territory's observatory: what young people ask Indy, counted without personal data.

`compute` turns a day of Rasa conversations and handoff tickets into counts per dimension
(no sender id, no text), `report` reads a period back with small cells hidden, `review` is the
queue of messages Indy did not understand, `web` the admins' page, `simulate` the demo day.
"""
