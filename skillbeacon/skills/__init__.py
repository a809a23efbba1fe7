"""Skill vocabularies: loading, normalizing and matching skill concepts."""
