"""Web pages: recruiter search, candidate page and the learner preview."""

from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode, urlsplit

import annotated_types
import jinja2
import structlog
from fastapi import APIRouter, Depends, Form, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from opensearchpy import OpenSearch
from pydantic import ValidationError

from search_api.auth import (
    LearnerAccessDep,
    Principal,
    PrincipalDep,
    require_roles,
)
from search_api.candidate_search import run_search
from search_api.contact_relay import (
    InterestDecision,
    InterestRequest,
    InterestStatus,
    decide_interest,
    interest_id_for,
    learner_interests,
    read_interest_for_employer,
    request_interest,
)
from search_api.dependencies import ClientDep, SettingsDep
from search_api.learner_preview import build_preview, learner_views, rank_learner
from search_api.problems import (
    Forbidden,
    InterestNotFound,
    ProblemDetail,
    invalid_params,
)
from search_api.routes.candidates import load_visible_candidate, record_candidate_view
from skillbeacon.api_keys import Role
from skillbeacon.models.profile import Availability
from skillbeacon.models.search import MAX_RESULT_WINDOW, CandidateSearch
from skillbeacon.privacy import employer_view
from skillbeacon.settings import Settings
from skillbeacon.store.candidates import get_candidate

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

_require_recruiter = require_roles(Role.recruiter)

# The API's limit on an interest message, read from the model so that the
# form's maxlength and the check after posting cannot drift apart.
INTEREST_MESSAGE_MAX_LENGTH = next(
    item.max_length
    for item in InterestRequest.model_fields["message"].metadata
    if isinstance(item, annotated_types.MaxLen)
)


def recruiter_page_access(principal: PrincipalDep) -> Principal:
    """Let recruiters through, and learners so the page can redirect them.

    A signed-in learner who opens a recruiter page is sent to their own
    preview by redirect_learner. Every other role gets a 403 problem.
    """
    if principal.role == Role.learner and principal.learner_id is not None:
        return principal
    return _require_recruiter(principal)


RecruiterPageDep = Annotated[Principal, Depends(recruiter_page_access)]


def redirect_learner(principal: Principal) -> Response | None:
    """Return a 303 redirect to a learner's own preview, or None for a recruiter."""
    if principal.role != Role.learner or principal.learner_id is None:
        return None
    log.info("ui.learner.redirected", key_id=principal.key_id)
    return RedirectResponse(f"/preview/{quote(principal.learner_id)}", status_code=303)


def render_problem_page(request: Request, problem: ProblemDetail) -> Response:
    """Render an error as an HTML page; the API handlers call this for UI paths."""
    return templates.TemplateResponse(
        request, "error.html", {"problem": problem}, status_code=problem.status
    )


def check_same_origin(request: Request) -> None:
    """Reject a form post that another site's page sent.

    Browsers send Origin on cross-site posts. SameSite=Strict does not cover
    /login, where no cookie exists yet, nor forms that a preview token in
    the URL authorizes.
    """
    origin = request.headers.get("origin")
    if origin is None:
        return
    if urlsplit(origin).netloc != request.headers.get("host", ""):
        log.info("ui.form.cross_origin", path=request.url.path)
        raise Forbidden(
            "This form was sent from another site. Open the page on this site "
            "and send the form from there."
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
def search_page(
    request: Request,
    client: ClientDep,
    settings: SettingsDep,
    principal: RecruiterPageDep,
):
    """Show the search form, and results when the form was submitted."""
    redirect = redirect_learner(principal)
    if redirect is not None:
        return redirect

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

    response = run_search(client, settings, search, principal)
    context["response"] = response
    if search.offset > 0:
        context["previous_link"] = _page_link(form, max(0, search.offset - PAGE_SIZE))
    next_offset = search.offset + PAGE_SIZE
    if next_offset < response.total and next_offset + PAGE_SIZE <= MAX_RESULT_WINDOW:
        context["next_link"] = _page_link(form, search.offset + PAGE_SIZE)
    return templates.TemplateResponse(request, "search.html", context)


@router.get("/candidates/{candidate_id}", response_class=HTMLResponse)
def candidate_page(
    request: Request,
    candidate_id: str,
    client: ClientDep,
    settings: SettingsDep,
    principal: RecruiterPageDep,
):
    """Show one candidate as employers see them, with credentials and pathways."""
    redirect = redirect_learner(principal)
    if redirect is not None:
        return redirect

    document = load_visible_candidate(client, settings, candidate_id, principal)
    record_candidate_view(client, settings, candidate_id, principal, channel="ui")
    view = employer_view(document)
    return templates.TemplateResponse(
        request,
        "candidate.html",
        {
            "candidate": view,
            "contact_allowed": "contact" in document.get("consent_scopes", []),
            "interest": _own_interest(client, settings, candidate_id, principal),
            "message_max_length": INTEREST_MESSAGE_MAX_LENGTH,
        },
    )


def _own_interest(
    client: OpenSearch, settings: Settings, candidate_id: str, principal: Principal
) -> InterestStatus | None:
    """Return the interest request this key sent the candidate, or None."""
    interest_id = interest_id_for(candidate_id, principal.key_id)
    try:
        return read_interest_for_employer(client, settings, interest_id, principal)
    except InterestNotFound:
        return None


@router.post("/candidates/{candidate_id}/interest")
def post_interest_form(
    request: Request,
    candidate_id: str,
    client: ClientDep,
    settings: SettingsDep,
    principal: Annotated[Principal, Depends(_require_recruiter)],
    message: Annotated[str, Form(max_length=INTEREST_MESSAGE_MAX_LENGTH)] = "",
) -> Response:
    """Send the learner an interest request, then redirect to the candidate page.

    When the learner's consent lacks the contact scope, the recruiter gets
    the 409 problem page.
    """
    check_same_origin(request)
    load_visible_candidate(client, settings, candidate_id, principal)

    body = InterestRequest(message=message.strip() or None)
    request_interest(client, settings, candidate_id, principal, body, channel="ui")
    return RedirectResponse(f"/candidates/{quote(candidate_id)}", status_code=303)


@router.get("/preview/{learner_id}", response_class=HTMLResponse)
def preview_page(
    request: Request,
    learner_id: str,
    access: LearnerAccessDep,
    client: ClientDep,
    settings: SettingsDep,
    token: str = "",
    q: str = "",
):
    """Show learners their own card exactly as employers see it.

    With `q`, a comma-separated list of skills, the page also shows where
    the learner would rank in that employer search, without other candidates.
    """
    document = get_candidate(client, settings, learner_id)
    if document is None:
        return templates.TemplateResponse(
            request,
            "preview_missing.html",
            {"learner_id": learner_id},
            status_code=404,
        )

    preview = build_preview(client, settings, document)
    rank = None
    rank_errors: list[Any] = []
    if q.strip():
        try:
            search = CandidateSearch.model_validate(
                {"skills": _split_names(q), "text": None}
            )
        except ValidationError as error:
            rank_errors = invalid_params(
                [{**item, "loc": ("query", *item["loc"])} for item in error.errors()]
            )
        else:
            rank = rank_learner(client, settings, document, search)

    return templates.TemplateResponse(
        request,
        "preview.html",
        {
            "candidate": preview.candidate,
            "visible": preview.visible,
            "hidden_reasons": preview.hidden_reasons,
            "visibility_limits": preview.visibility_limits,
            "verified_skills": preview.verified_skills,
            "unverified_skills": preview.unverified_skills,
            "self_reported_skills": preview.self_reported_skills,
            "token": token,
            "query": q,
            "rank": rank,
            "rank_errors": rank_errors,
            "views": learner_views(client, settings, learner_id),
            "interests": learner_interests(client, settings, learner_id),
            "contact_allowed": "contact" in document.get("consent_scopes", []),
        },
    )


@router.post("/preview/{learner_id}/interests/{interest_id}")
def answer_interest(
    request: Request,
    learner_id: str,
    interest_id: str,
    access: LearnerAccessDep,
    client: ClientDep,
    settings: SettingsDep,
    decision: Annotated[str, Form(max_length=10)],
    contact: Annotated[str, Form(max_length=200)] = "",
    token: str = "",
) -> Response:
    """Store the learner's decision from the preview page, then show the page."""
    check_same_origin(request)
    document = get_candidate(client, settings, learner_id)
    target = f"/preview/{learner_id}"
    if token:
        target += "?" + urlencode({"token": token})
    if document is None:
        return RedirectResponse(target, status_code=303)

    try:
        answer = InterestDecision.model_validate(
            {"decision": decision, "contact": contact.strip() or None}
        )
    except ValidationError as error:
        raise RequestValidationError(
            [{**item, "loc": ("body", *item["loc"])} for item in error.errors()]
        ) from None
    decide_interest(client, settings, document, interest_id, answer)
    return RedirectResponse(target, status_code=303)
