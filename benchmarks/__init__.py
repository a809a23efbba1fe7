"""Speed benchmarks against a real OpenSearch node; see docs/benchmarks.md."""
