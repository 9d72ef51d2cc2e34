"""Domain types and rules. Imports nothing else of the workbench, and never Qt or SQL."""
