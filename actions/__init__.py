"""The rasa-sdk action server of the assistant (`rasa run actions`)."""
