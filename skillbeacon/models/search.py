"""Candidate search requests, shared by the API, the UI and the store."""

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from skillbeacon.models.profile import Availability

MAX_SKILLS_PER_QUERY = 20

# OpenSearch rejects a search whose from + size exceeds index.max_result_window.
# The candidate index keeps that setting's default, 10,000.
MAX_RESULT_WINDOW = 10_000


class SearchFilters(BaseModel):
    model_config = ConfigDict(extra="forbid")

    country: str | None = Field(default=None, max_length=2, min_length=2)
    region: str | None = Field(default=None, max_length=100)
    city: str | None = Field(default=None, max_length=100)
    availability: list[Availability] = Field(default_factory=list)
    pathway: str | None = Field(default=None, max_length=128)
    verified_only: bool = Field(
        default=False,
        description="Count only skills backed by a verified credential.",
    )


class CandidateSearch(BaseModel):
    """A recruiter's or HR system's query for candidates."""

    model_config = ConfigDict(extra="forbid")

    skills: list[str] = Field(
        default_factory=list,
        max_length=MAX_SKILLS_PER_QUERY,
        description="Named skills; each one a candidate matches raises the rank.",
    )
    required_skills: list[str] = Field(
        default_factory=list,
        max_length=MAX_SKILLS_PER_QUERY,
        description="Named skills every returned candidate must have.",
    )
    preferred_skills: list[str] = Field(
        default_factory=list,
        max_length=MAX_SKILLS_PER_QUERY,
        description="Same as skills: they raise the rank but are not required.",
    )
    text: str | None = Field(
        default=None,
        max_length=500,
        description="Free text matched against credential names and skills.",
    )
    filters: SearchFilters = Field(default_factory=SearchFilters)
    size: int = Field(default=10, ge=1, le=100)
    offset: int = Field(
        default=0,
        ge=0,
        description="Results to skip. offset + size must be at most "
        f"{MAX_RESULT_WINDOW}.",
    )

    @field_validator("skills", "required_skills", "preferred_skills")
    @classmethod
    def _strip_names(cls, names: list[str]) -> list[str]:
        cleaned = []
        for name in names:
            stripped = name.strip()
            if not stripped:
                raise ValueError("skill names must not be empty")
            if len(stripped) > 200:
                raise ValueError("skill names must be at most 200 characters")
            cleaned.append(stripped)
        return cleaned

    @field_validator("offset")
    @classmethod
    def _check_result_window(cls, offset: int, info: ValidationInfo) -> int:
        # size is declared before offset, so it is in info.data when valid.
        size = info.data.get("size")
        if size is not None and offset + size > MAX_RESULT_WINDOW:
            raise PydanticCustomError(
                "result_window",
                "offset + size must be at most {maximum}, but offset {offset} + "
                "size {size} is {end}. Narrow the search instead of paging further",
                {
                    "maximum": MAX_RESULT_WINDOW,
                    "offset": offset,
                    "size": size,
                    "end": offset + size,
                },
            )
        return offset

    @model_validator(mode="after")
    def _require_skill_or_text(self) -> "CandidateSearch":
        named = self.skills or self.required_skills or self.preferred_skills
        if not named and not (self.text and self.text.strip()):
            raise PydanticCustomError(
                "search_empty",
                "give at least one skill or a text query (skills, "
                "required_skills, preferred_skills or text)",
            )
        return self

    def optional_skills(self) -> list[str]:
        return self.skills + [s for s in self.preferred_skills if s not in self.skills]


class ConceptMatch(BaseModel):
    """A skill concept that a requested name resolved to, and how."""

    skill_id: str
    label: str
    framework: str
    reason: str = Field(
        description="id, exact_label, alt_label, stem, text, crosswalk, broader "
        "or narrower."
    )
    weight: float = Field(default=1.0, gt=0.0, le=1.0)


class RequestedSkill(BaseModel):
    name: str
    required: bool
    concepts: list[ConceptMatch]
