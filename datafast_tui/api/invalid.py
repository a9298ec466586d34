"""The one error type for a query that cannot be sent (bad filter, date range or timezone)."""


class QueryError(ValueError):
    """A query the client refuses before sending; the message says what to change."""
