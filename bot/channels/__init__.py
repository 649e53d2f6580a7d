"""Rasa input channels of the assistant (credentials.yml)."""

from bot.privacy import mask_logs

# Rasa imports this package when it loads credentials.yml, before it handles any message:
# from then on its log files show no e-mail address or phone number of a customer.
mask_logs()
