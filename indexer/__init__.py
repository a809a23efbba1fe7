"""Ingests opt-in learner profiles and their credentials into the index."""
