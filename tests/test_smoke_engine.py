def test_engine_cluster_is_healthy(client):
    health = client.cluster.health()
    assert health["status"] in ("green", "yellow")
