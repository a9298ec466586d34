"""The DataFast API layer: client, models, query, errors. No Textual imports here."""

from datafast_tui.api.client import BREAKDOWN_ENDPOINTS, DEFAULT_BASE_URL, DataFastClient, RetryPolicy
from datafast_tui.api.errors import DataFastError
from datafast_tui.api.query import Query, QueryError

__all__ = ["BREAKDOWN_ENDPOINTS", "DEFAULT_BASE_URL", "DataFastClient", "DataFastError", "Query",
           "QueryError", "RetryPolicy"]
