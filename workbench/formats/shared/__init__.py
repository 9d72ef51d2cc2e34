"""Helpers the format modules share; none of them is a format of its own."""
