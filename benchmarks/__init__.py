"""Speed benchmarks against a real OpenSearch node, described in docs/benchmarks.md."""
