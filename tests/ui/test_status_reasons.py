"""The verification status badge and its reason, rendered without the engine."""

from datetime import UTC, datetime

from skillbeacon.privacy import EmployerCredential, EmployerView
from ui.routes import templates

LONG_REASON = "signature: " + "the issuer key could not be fetched " * 5
HOSTILE_REASON = 'issuer_key: key from <script>alert("x")</script> is not bound'


def render_card(*credentials: EmployerCredential) -> str:
    candidate = EmployerView(
        candidate_id="cand-1",
        name="Ada L.",
        is_minor=False,
        credentials=list(credentials),
    )
    template = templates.env.get_template("_candidate_card.html")
    return template.render(candidate=candidate)


def credential(status: str, reasons: list[str]) -> EmployerCredential:
    return EmployerCredential(
        credential_id=f"cr-{status}",
        name=f"{status} badge",
        issued_at=datetime(2025, 5, 1, tzinfo=UTC),
        status=status,
        reasons=reasons,
    )


def test_card_shows_reason_of_unverified():
    page = render_card(credential("unverified", ["signature: key not found", "b"]))

    assert '<small class="status-reason">signature: key not found</small>' in page
    assert 'title="Verification: unverified. signature: key not found; b"' in page


def test_card_hides_reasons_of_verified():
    page = render_card(credential("verified", ["revocation: no status list"]))

    assert "status-reason" not in page
    assert "no status list" not in page
    assert 'title="Verification: verified"' in page


def test_card_cuts_long_reason():
    page = render_card(credential("revoked", [LONG_REASON]))

    reason_text = page.split('<small class="status-reason">')[1].split("</small>")[0]
    assert len(reason_text) == 90
    assert reason_text.endswith("…")
    assert LONG_REASON.strip() in page.replace("\n", " ")


def test_card_escapes_reason():
    page = render_card(credential("invalid", [HOSTILE_REASON]))

    assert "<script>" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page


def test_card_without_reasons_shows_status_only():
    page = render_card(credential("expired", []))

    assert "⌛ expired</span>" in page
    assert "status-reason" not in page
