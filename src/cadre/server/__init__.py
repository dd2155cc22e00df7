"""The HTTP server: one FastAPI app holding the API, the OpenAI-compatible face, the channels and the console."""
