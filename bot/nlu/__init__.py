"""Custom Rasa graph components of the NLU pipeline (referenced from config.yml)."""

from bot import rasa_speedups

# Every Rasa process that serves this model imports this package: remove two per-message
# overheads of Rasa 3.6 there (see bot/rasa_speedups.py).
rasa_speedups.install()
