"""Web pages: search, candidate page, learner preview and HTML escaping."""

from skillbeacon.security import check_preview_token, preview_token
from tests.search_population import HOSTILE_NAME
from ui.preview import hidden_reasons, visibility_limits


def test_search_page_without_query_shows_form(api):
    response = api.get("/")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert '<form class="search" method="get" action="/">' in page
    assert '<datalist id="skill-suggestions">' in page
    assert 'src="/static/suggest.js"' in page
    assert "https://" not in page
    assert "candidate" not in page.split("</form>")[1]


def test_search_page_shows_ranked_results(api):
    response = api.get("/", params={"skills": "teamwork, python"})

    assert response.status_code == 200
    page = response.text
    assert "Why this rank" in page
    assert page.index("candidate-cand-both") < page.index("candidate-cand-verified")
    assert "Bo Both" in page
    assert "Verity" not in page
    assert "cand-minor" not in page
    assert 'value="teamwork, python"' in page


def test_search_page_marks_each_status(api):
    response = api.get("/", params={"skills": "python"})

    page = response.text
    for status in ("verified", "unverified", "revoked", "expired", "invalid"):
        assert f'class="status status-{status}"' in page, status
    assert "✓ verified" in page
    assert "⊘ revoked" in page


def test_search_page_empty_form_prompts(api):
    for params in ({"skills": "", "text": ""}, {"skills": " , ", "country": "US"}):
        response = api.get("/", params=params)

        assert response.status_code == 200, params
        page = response.text
        assert "Enter at least one skill or some other words" in page
        assert 'class="errors"' not in page
        assert "candidates</h2>" not in page


def test_search_page_only_unknown_names_is_empty(api):
    response = api.get("/", params={"skills": "zzzqqq"})

    assert response.status_code == 200
    page = response.text
    assert "0 candidates" in page
    assert "No skill concept matches zzzqqq" in page
    assert 'class="card"' not in page


def test_search_page_offset_past_window_is_error(api):
    response = api.get("/", params={"skills": "teamwork", "offset": "9990"})

    assert response.status_code == 422
    assert "offset + size must be at most 10000" in response.text


def test_search_page_filters_are_linkable(api):
    response = api.get(
        "/",
        params=[
            ("skills", "welding"),
            ("region", "Texas"),
            ("availability", "summer"),
            ("verified_only", "on"),
        ],
    )

    assert response.status_code == 200
    page = response.text
    assert "0 candidates" in page
    assert 'value="summer" checked' in page
    assert 'name="verified_only" checked' in page


def test_search_page_lists_unresolved_names(api):
    response = api.get("/", params={"skills": "teamwork, qqzx blorft"})

    assert "No skill concept matches qqzx blorft" in response.text


def test_search_page_invalid_filter_shows_error(api):
    response = api.get("/", params={"skills": "teamwork", "country": "USA"})

    assert response.status_code == 422
    assert "text/html" in response.headers["content-type"]
    assert "filters.country" in response.text
    assert "USA" in response.text


def test_candidate_page_shows_credentials(api):
    response = api.get("/candidates/cand-both")

    assert response.status_code == 200
    page = response.text
    assert "Intro to Python" in page
    assert "signature: the issuer key could not be fetched" in page
    assert "Riverside High School" in page


def test_candidate_page_hidden_is_404_page(api):
    response = api.get("/candidates/cand-minor")

    assert response.status_code == 404
    assert "text/html" in response.headers["content-type"]
    assert "Candidate not found" in response.text
    assert "Minnie" not in response.text


def test_unknown_page_is_html_404(api):
    response = api.get("/no/such/page")

    assert response.status_code == 404
    assert "text/html" in response.headers["content-type"]


def test_hostile_name_is_escaped(api):
    search = api.get("/", params={"skills": "welding"})
    candidate = api.get("/candidates/cand-hostile")

    for page in (search.text, candidate.text):
        assert "<script>alert" not in page
        assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Mallory" in page
        assert "<img src=x" not in page
        assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_hostile_query_is_escaped(api):
    response = api.get("/", params={"skills": '"><script>x()</script>'})

    assert "<script>x()" not in response.text


def test_preview_token_round_trip(settings):
    token = preview_token("cand-verified", settings)

    assert check_preview_token("cand-verified", token, settings)
    assert not check_preview_token("cand-self", token, settings)
    assert not check_preview_token("cand-verified", token[:-1], settings)
    assert not check_preview_token("cand-verified", "é" + token, settings)
    assert "=" not in token


def test_preview_with_good_token_shows_card(api, settings):
    token = preview_token("cand-both", settings)

    response = api.get("/preview/cand-both", params={"token": token})

    assert response.status_code == 200
    page = response.text
    assert "Employers can find you" in page
    assert 'id="candidate-cand-both"' in page
    verified = page.split("Verified by a credential")[1].split("</ul>")[0]
    unverified = page.split("could not be verified")[1].split("</ul>")[0]
    assert "Python" in verified
    assert "Teamwork" in unverified


def test_preview_card_matches_search_card(api, settings):
    token = preview_token("cand-verified", settings)
    preview = api.get("/preview/cand-verified", params={"token": token}).text
    search = api.get("/", params={"skills": "teamwork"}).text

    def card(page: str) -> str:
        start = page.index('<article class="card" id="candidate-cand-verified">')
        return page[start : page.index("</article>", start)]

    def card_below_name(page: str) -> str:
        return card(page).split("</h3>", 1)[1]

    assert card_below_name(preview) == card_below_name(search)
    assert 'href="/candidates/cand-verified"' in card(search)


def test_preview_card_has_no_candidate_link(api, settings):
    token = preview_token("cand-verified", settings)

    page = api.get("/preview/cand-verified", params={"token": token}).text

    assert 'id="candidate-cand-verified"' in page
    assert "/candidates/" not in page


def test_preview_self_reported_only(api, settings):
    token = preview_token("cand-self", settings)

    page = api.get("/preview/cand-self", params={"token": token}).text

    self_reported = page.split("Self-reported only")[1]
    assert "Teamwork" in self_reported
    assert "Teamwork" not in page.split("Verified by a credential")[1].split("<h3>")[0]


def test_preview_minor_notes_hidden(api, settings):
    token = preview_token("cand-minor", settings)

    response = api.get("/preview/cand-minor", params={"token": token})

    assert response.status_code == 200
    page = response.text
    assert "You are hidden from employers right now" in page
    assert "a parent or guardian has not consented" in page
    assert "M.M." in page
    assert "Minnie" not in page


def test_preview_minor_with_guardian_shown_to_youth_programs(api, settings):
    token = preview_token("cand-minor-guardian", settings)

    response = api.get("/preview/cand-minor-guardian", params={"token": token})

    assert response.status_code == 200
    page = response.text
    assert "Employers can find you in searches now" in page
    assert "You are hidden from employers right now" not in page
    assert "only employers enrolled in youth programs" in page
    assert "parent or guardian accept" in page
    assert "Gina" not in page


def test_hidden_reasons_minor_without_youth_scope():
    document = {
        "age_band": "minor",
        "guardian_consent": True,
        "consent_scopes": ["employer_search"],
    }

    reasons = hidden_reasons(document)

    assert len(reasons) == 1
    assert "only employers enrolled in youth programs" in reasons[0]
    assert "Add youth programs to your consent" in reasons[0]


def test_visibility_limits_names_groups_and_age():
    document = {
        "age_band": "minor",
        "guardian_consent": True,
        "consent_scopes": ["employer_search", "youth_programs"],
        "employer_groups": ["north-clinics", "south-clinics"],
    }

    limits = visibility_limits(document)

    assert len(limits) == 2
    assert "north-clinics, south-clinics" in limits[0]
    assert "youth programs" in limits[1]


def test_visibility_limits_empty_for_adult_without_groups():
    assert visibility_limits({"age_band": "adult"}) == []


def test_preview_missing_consent_notes_hidden(api, settings):
    token = preview_token("cand-no-consent", settings)

    page = api.get("/preview/cand-no-consent", params={"token": token}).text

    assert "does not include employer search" in page


def test_preview_not_indexed_is_404_note(api, settings):
    token = preview_token("cand-gone", settings)

    response = api.get("/preview/cand-gone", params={"token": token})

    assert response.status_code == 404
    assert "not in the candidate index" in response.text


def test_preview_bad_token_is_403(api, settings):
    other = preview_token("cand-self", settings)
    for params in ({"token": other}, {"token": "nonsense"}, {}):
        response = api.get("/preview/cand-verified", params=params)
        assert response.status_code == 403, params
        assert "text/html" in response.headers["content-type"]
        assert "Preview link invalid" in response.text
        assert "Teamwork" not in response.text


def test_pages_never_show_email(api, settings):
    token = preview_token("cand-both", settings)
    pages = [
        api.get("/", params={"skills": "teamwork, python, welding"}).text,
        api.get("/candidates/cand-both").text,
        api.get("/preview/cand-both", params={"token": token}).text,
    ]

    for page in pages:
        assert "@" not in page
        assert HOSTILE_NAME not in page


def test_static_stylesheet_served(api):
    response = api.get("/static/style.css")

    assert response.status_code == 200
    assert "text/css" in response.headers["content-type"]
