"""Skill concepts of the vocabulary the product maps credentials onto."""

from enum import StrEnum

from pydantic import BaseModel, Field


class SkillCategory(StrEnum):
    technical = "technical"
    transversal = "transversal"
    language = "language"
    knowledge = "knowledge"
    other = "other"


class SkillConcept(BaseModel):
    """One skill concept with its labels, links and framework of origin."""

    skill_id: str = Field(
        description="Stable id: the framework URI where one exists, otherwise "
        "'<framework>:<code>'."
    )
    preferred_label: str
    alt_labels: list[str] = Field(default_factory=list)
    framework: str = Field(description="esco, onet, rsd or skillbeacon.")
    uri: str | None = None
    codes: list[str] = Field(
        default_factory=list,
        description="Other identifiers that alignments may use: codes, URLs "
        "of crosswalked concepts.",
    )
    category: SkillCategory = SkillCategory.other
    broader_ids: list[str] = Field(default_factory=list)
    description: str | None = None
