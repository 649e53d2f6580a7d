"""The internal agent assistant (/agent on the demo server, `python -m bot assist|analytics`).

routes    the /agent area as a Sanic blueprint: who may pass, pages, JSON API, event stream
app       what each route does (AgentApp), without HTTP: sign-in, suggest, queue, analytics
auth      credentials, the signed session cookie (itsdangerous), HTTP Basic, the CSRF check
throttle  failed sign-ins per client address (limits)
live      live updates: the poller of Rasa's `events` table and the Server-Sent Events
store     Rasa's tracker store (`events`, read-only) and the agents' tables (`agent_resolved`,
          `agent_callbacks`, `agent_presence`, the takeover's `agent_claims`, `agent_audit`)
takeover  live takeover: claims (agent_claims), the audit (agent_audit), Rasa's delivery
insights  handoff queue, transcripts and analytics computed from the stored events
suggest   the NLU's reading of a message and the knowledge base's answer in bg and en
pages     the server-rendered HTML
cli       `python -m bot assist "..."` and `python -m bot analytics --csv FILE`
"""
