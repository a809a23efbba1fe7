"""GET /healthz: whether the search engine can serve requests."""

from fastapi import APIRouter

from search_api.dependencies import ClientDep
from search_api.problems import PROBLEM_RESPONSES, EngineUnavailable
from search_api.schemas import HealthResponse
from skillbeacon.store.client import cluster_health

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=HealthResponse, responses=PROBLEM_RESPONSES)
def healthz(client: ClientDep):
    """Return 200 while the cluster is green or yellow, else a 503 problem."""
    health = cluster_health(client)
    status = health.get("status", "unknown")
    if status not in ("green", "yellow"):
        raise EngineUnavailable(
            f"The OpenSearch cluster status is {status!r}; searches may fail "
            "until it is green or yellow again."
        )
    return HealthResponse(status="ok", cluster_status=status)
