"""The DataFast API layer: client, models, query, errors. No Textual imports here.

Import from the submodules (`datafast_tui.api.client`, `.query`, ...): this package file
stays empty so that importing a light module (dates, filters) does not pull in httpx.
"""
