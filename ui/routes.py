"""Web pages: recruiter search, candidate page and the learner preview."""

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
import structlog
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError

from search_api.candidate_search import run_search
from search_api.dependencies import ClientDep, SettingsDep
from search_api.problems import ProblemDetail, invalid_params
from search_api.routes.candidates import load_visible_candidate
from skillbeacon.models.profile import Availability
from skillbeacon.models.search import MAX_RESULT_WINDOW, CandidateSearch
from skillbeacon.privacy import employer_view
from skillbeacon.security import check_preview_token
from skillbeacon.store.candidates import get_candidate, is_employer_visible
from ui.preview import hidden_reasons

log = structlog.get_logger(__name__)

UI_DIR = Path(__file__).resolve().parent
STATIC_DIR = UI_DIR / "static"
PAGE_SIZE = 20
FILTER_FIELDS = ("country", "region", "city", "pathway")

templates = Jinja2Templates(
    env=jinja2.Environment(
        loader=jinja2.FileSystemLoader(UI_DIR / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
)

router = APIRouter(include_in_schema=False)


def render_problem_page(request: Request, problem: ProblemDetail) -> Response:
    """Render an error as an HTML page; the API handlers call this for UI paths."""
    return templates.TemplateResponse(
        request, "error.html", {"problem": problem}, status_code=problem.status
    )


def _split_names(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]


def _form_values(request: Request) -> dict[str, Any]:
    """Read the search form from the query string, as the page echoes it back."""
    params = request.query_params
    values: dict[str, Any] = {
        "skills": params.get("skills", ""),
        "text": params.get("text", ""),
        "availability": params.getlist("availability"),
        "verified_only": params.get("verified_only") == "on",
        "offset": params.get("offset", "0"),
    }
    for field in FILTER_FIELDS:
        values[field] = params.get(field, "").strip()
    return values


def _build_search(form: dict[str, Any]) -> CandidateSearch:
    """Build the search from form values; raise ValidationError on bad input."""
    filters: dict[str, Any] = {
        "availability": form["availability"],
        "verified_only": form["verified_only"],
    }
    for field in FILTER_FIELDS:
        if form[field]:
            filters[field] = form[field]
    if filters.get("country"):
        filters["country"] = filters["country"].upper()
    return CandidateSearch.model_validate(
        {
            "skills": _split_names(form["skills"]),
            "text": form["text"].strip() or None,
            "filters": filters,
            "size": PAGE_SIZE,
            "offset": form["offset"] or 0,
        }
    )


def _page_link(form: dict[str, Any], offset: int) -> str:
    pairs: list[tuple[str, str]] = []
    for key in ("skills", "text", *FILTER_FIELDS):
        if form[key]:
            pairs.append((key, form[key]))
    for value in form["availability"]:
        pairs.append(("availability", value))
    if form["verified_only"]:
        pairs.append(("verified_only", "on"))
    pairs.append(("offset", str(offset)))
    return "/?" + urlencode(pairs)


@router.get("/", response_class=HTMLResponse)
def search_page(request: Request, client: ClientDep, settings: SettingsDep):
    """Show the search form, and results when the form was submitted."""
    form = _form_values(request)
    context: dict[str, Any] = {
        "form": form,
        "availability_options": [option.value for option in Availability],
        "response": None,
        "errors": [],
        "prompt": None,
        "previous_link": None,
        "next_link": None,
    }
    if not request.query_params:
        return templates.TemplateResponse(request, "search.html", context)

    try:
        search = _build_search(form)
    except ValidationError as error:
        if all(item["type"] == "search_empty" for item in error.errors()):
            # The form was sent without skills or words, so prompt for them
            # rather than list the model's rule as an input error.
            context["prompt"] = (
                "Enter at least one skill or some other words to search for."
            )
            return templates.TemplateResponse(request, "search.html", context)
        context["errors"] = invalid_params(
            [{**item, "loc": ("query", *item["loc"])} for item in error.errors()]
        )
        log.info("ui.search.invalid", fields=[e.field for e in context["errors"]])
        return templates.TemplateResponse(
            request, "search.html", context, status_code=422
        )

    response = run_search(client, settings, search)
    context["response"] = response
    if search.offset > 0:
        context["previous_link"] = _page_link(form, max(0, search.offset - PAGE_SIZE))
    next_offset = search.offset + PAGE_SIZE
    if next_offset < response.total and next_offset + PAGE_SIZE <= MAX_RESULT_WINDOW:
        context["next_link"] = _page_link(form, search.offset + PAGE_SIZE)
    return templates.TemplateResponse(request, "search.html", context)


@router.get("/candidates/{candidate_id}", response_class=HTMLResponse)
def candidate_page(
    request: Request, candidate_id: str, client: ClientDep, settings: SettingsDep
):
    """Show one candidate as employers see them, with credentials and pathways."""
    document = load_visible_candidate(client, settings, candidate_id)
    view = employer_view(document)
    return templates.TemplateResponse(request, "candidate.html", {"candidate": view})


@router.get("/preview/{learner_id}", response_class=HTMLResponse)
def preview_page(
    request: Request,
    learner_id: str,
    client: ClientDep,
    settings: SettingsDep,
    token: str = "",
):
    """Show learners their own card exactly as employers see it."""
    if not token or not check_preview_token(learner_id, token, settings):
        log.info("ui.preview.rejected", learner_id=learner_id, reason="invalid_token")
        problem = ProblemDetail(
            type="https://skillbeacon.dev/problems/preview-token-invalid",
            title="Preview link invalid",
            status=403,
            detail="This preview link is invalid or incomplete. Open the link "
            "exactly as your school or wallet sent it, or ask for a new one.",
            instance=request.url.path,
        )
        return render_problem_page(request, problem)

    document = get_candidate(client, settings, learner_id)
    if document is None:
        return templates.TemplateResponse(
            request,
            "preview_missing.html",
            {"learner_id": learner_id},
            status_code=404,
        )

    view = employer_view(document)
    visible = is_employer_visible(client, settings, learner_id)
    verified = sorted({s.label for s in view.skills if s.evidence_level == "verified"})
    unverified = sorted(
        {s.label for s in view.skills if s.evidence_level == "unverified"}
        - set(verified)
    )
    self_reported_only = sorted(
        {s.label for s in view.skills if s.evidence_level == "self_reported"}
        - set(verified)
        - set(unverified)
    )
    return templates.TemplateResponse(
        request,
        "preview.html",
        {
            "candidate": view,
            "visible": visible,
            "hidden_reasons": [] if visible else hidden_reasons(document),
            "verified_skills": verified,
            "unverified_skills": unverified,
            "self_reported_skills": self_reported_only,
        },
    )
