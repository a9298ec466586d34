"""Reading an answer's body, at most MAX_RESPONSE_BYTES of it.

The cap counts decoded bytes, so a small compressed body that inflates to gigabytes stops
there too; a body whose declared length is over the cap is refused before a byte is read.
What comes back is a plain, fully read `httpx.Response`, as `httpx.AsyncClient.request()`
would give, with the body already decoded.
"""

from __future__ import annotations

import httpx

from datafast_tui.api.errors import ResponseTooLargeError

#: The most a response body may hold, decoded: far above any real answer (1,000 breakdown rows
#: are ~200 KB), far below what would swell the app (a 50 MB body cost it 500 MB).
MAX_RESPONSE_BYTES = 20 * 1024 * 1024
# Headers that describe the body as it came over the wire, not the decoded bytes we keep.
_WIRE_HEADERS = frozenset({b"content-encoding", b"content-length", b"transfer-encoding"})


async def read_bounded(http: httpx.AsyncClient, request: httpx.Request, what: str) -> httpx.Response:
    """Send `request` and read its answer's body, up to MAX_RESPONSE_BYTES (else ResponseTooLargeError)."""
    response = await http.send(request, stream=True)
    try:
        if declared_length(response) > MAX_RESPONSE_BYTES:
            raise too_large(response, what)  # refused before reading a byte
        body = bytearray()
        async for chunk in response.aiter_bytes():
            body += chunk
            if len(body) > MAX_RESPONSE_BYTES:
                raise too_large(response, what)
    finally:
        await response.aclose()  # also drops the connection of an answer left unread
    # Raw bytes: a header that is not ASCII must pass as it came, not fail to encode again.
    headers = [(k, v) for k, v in response.headers.raw if k.lower() not in _WIRE_HEADERS]
    read = httpx.Response(response.status_code, headers=headers, content=bytes(body),
                          request=request, extensions=response.extensions)
    read.next_request = response.next_request  # where a redirect points, as httpx reads it
    return read


def too_large(response: httpx.Response, what: str) -> ResponseTooLargeError:
    size = MAX_RESPONSE_BYTES // (1024 * 1024)
    return ResponseTooLargeError(f"the server's answer is larger than {size} MB; not read",
                                 status=response.status_code, request=what)


def declared_length(response: httpx.Response) -> int:
    """The Content-Length the server declared, or 0 when it declared none (or nonsense)."""
    try:
        return int(response.headers.get("content-length", "0"))
    except ValueError:
        return 0
