"""The only layer that builds OpenSearch requests and calls the client."""
