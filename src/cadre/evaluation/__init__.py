"""Evaluation: suites of conversations with expectations, run through the real runtime and scored."""
