"""spaCy pipelines, suggesters and token-level helpers; spaCy is imported only when used."""
