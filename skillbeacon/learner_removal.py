"""Remove one learner from the index at once, for a deletion or a withdrawal."""

import structlog
from opensearchpy import OpenSearch

from skillbeacon.settings import Settings
from skillbeacon.store import api_keys as api_key_store
from skillbeacon.store import candidates as candidate_store
from skillbeacon.store import interests as interest_store
from skillbeacon.store import skills as skill_store
from skillbeacon.store import views as view_store
from skillbeacon.store.audit import AuditAction, record_audit_events

log = structlog.get_logger(__name__)


def remove_learner(
    client: OpenSearch,
    settings: Settings,
    learner_id: str,
    action: AuditAction,
    actor_key_id: str,
) -> bool:
    """Remove the learner from the index, recount skills and audit it.

    Both a deletion and a withdrawal erase the learner's view log and
    interest requests, so no employer can read contact details the learner
    shared before. A deletion also revokes the learner's own API keys. After
    a withdrawal the learner keeps them for when they consent again. The
    records are erased even when the candidate document is already gone (an
    indexer run removed it). Return False, and write nothing, when there was
    nothing to remove or revoke. The audit record keeps later indexer runs
    from writing the learner back (upsert_candidates checks it) until their
    profile grants consent again after this time.
    """
    document = candidate_store.get_candidate(client, settings, learner_id)
    deleted = []
    if document is not None:
        deleted = candidate_store.delete_candidate_ids(client, settings, [learner_id])
    views = view_store.delete_views(client, settings, learner_id)
    interests = interest_store.delete_interests(client, settings, learner_id)
    revoked_keys = 0
    if action == AuditAction.learner_deleted:
        revoked_keys = api_key_store.revoke_learner_keys(client, settings, learner_id)
    if not deleted and not views and not interests and not revoked_keys:
        return False

    if deleted and document is not None:
        # Skills that only this learner held drop out of the new counts, and
        # update_candidate_counts keeps a count it is not given, so they are
        # set to zero here.
        counts = candidate_store.count_candidates_by_skill(client, settings)
        for skill_id in document.get("skill_ids", []):
            counts.setdefault(skill_id, 0)
        skill_store.update_candidate_counts(client, settings, counts)

    record_audit_events(client, settings, [learner_id], action, actor_key_id)
    log.info(
        "learner.removed",
        learner_id=learner_id,
        action=action.value,
        actor_key_id=actor_key_id,
        candidate_deleted=bool(deleted),
        views_deleted=views,
        interests_deleted=interests,
        learner_keys_revoked=revoked_keys,
    )
    return True
