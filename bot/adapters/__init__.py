"""Adapters for outside systems (Telegram Bot API, Viber REST API).

Each takes its base URL from configuration, so tests point it at a local stand-in.
"""
