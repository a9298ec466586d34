"""Why a server could not listen, in words for one line of output (serve-demo, web, the demo child)."""

from __future__ import annotations

#: EADDRINUSE on macOS (48), Linux (98) and Windows (WSAEADDRINUSE, 10048).
_ADDRESS_IN_USE = (48, 98, 10048)


def why_not_listening(exc: OSError) -> str:
    """The words for `exc`: "address already in use", or the system's own."""
    return "address already in use" if exc.errno in _ADDRESS_IN_USE else (exc.strerror or str(exc))
