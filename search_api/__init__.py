"""The HTTP search API: FastAPI app, routes, problem details and explanations."""
