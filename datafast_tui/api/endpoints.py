"""Where the API lives (kept apart from the client so settings can name it without importing httpx)."""

DEFAULT_BASE_URL = "https://datafa.st/api/v1/"
