"""File formats: one module per format behind one registry (see `registry.py`)."""
