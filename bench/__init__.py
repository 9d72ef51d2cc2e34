"""Performance benchmarks of the workbench against baselines measured in the same run.

Not part of the installed package; run from a source checkout with `make bench`.
"""
