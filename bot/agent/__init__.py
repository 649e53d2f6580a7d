"""The internal agent assistant (/agent on the demo server, `python -m bot assist|analytics`).

auth      login form, signed session cookie, HTTP Basic, CSRF and login throttling
store     Rasa's tracker store (`events`, read-only) and the agents' `agent_resolved` table
insights  handoff queue, transcripts and analytics computed from the stored events
suggest   the NLU's reading of a message and the knowledge base's answer in bg and en
app       the /agent routes (HTML shell, static files, JSON API), independent of the server
pages     the server-rendered HTML
cli       `python -m bot assist "..."` and `python -m bot analytics --csv FILE`
"""
