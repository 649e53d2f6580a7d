"""NLU evaluation (`make eval`): test-set metrics, ablations and the rasa-init baseline."""
