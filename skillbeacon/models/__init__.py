"""Pydantic models for skillbeacon's inputs and index documents."""
