"""Pathway definitions: ordered steps toward a target role."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class PathwayStep(BaseModel):
    """One step, satisfied by any of the named achievements or skills."""

    model_config = ConfigDict(extra="forbid")

    step_id: str = Field(min_length=1, max_length=128)
    name: str = Field(min_length=1, max_length=200)
    achievements: list[str] = Field(
        default_factory=list,
        description="Achievement ids or exact achievement names that satisfy the step.",
    )
    skills: list[str] = Field(
        default_factory=list,
        description="Skill ids or skill names that satisfy the step when the "
        "learner holds credential evidence for them.",
    )

    @model_validator(mode="after")
    def _needs_a_condition(self) -> "PathwayStep":
        if not self.achievements and not self.skills:
            raise ValueError(
                f"step {self.step_id!r} names no achievements and no skills"
            )
        return self


class PathwayDefinition(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: Literal["PathwayDefinition"] = "PathwayDefinition"
    pathway_id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{1,127}$")
    name: str = Field(min_length=1, max_length=200)
    target_role: str = Field(min_length=1, max_length=200)
    target_occupation_codes: list[str] = Field(
        default_factory=list, description="O*NET-SOC or ESCO occupation codes."
    )
    steps: list[PathwayStep] = Field(min_length=1, max_length=100)
