"""Rasa input channels of the assistant (credentials.yml)."""
