"""The rasa-sdk action server of the assistant (`rasa run actions`)."""

from bot.privacy import mask_logs

# The action server logs the conversations it is sent: no contact details in its log files.
mask_logs()
