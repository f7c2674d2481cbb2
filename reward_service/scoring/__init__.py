"""Scoring: response parsing, the objectives, and the engine that runs them over a batch."""
