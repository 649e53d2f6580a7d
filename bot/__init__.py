"""TEA email support assistant: knowledge base, NLU components and run-time glue."""
