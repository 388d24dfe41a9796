"""Server-side fetching of user-submitted links, hardened against SSRF.

Members paste arbitrary URLs, and the server then fetches them to build a link
preview. Without care that turns the forum into a proxy into our own network
(cloud metadata endpoints, the database, admin panels on localhost). Every hop
is therefore validated from scratch: scheme, port, host spelling, the DNS
answer, and each resolved address. The connection then goes to the address that
was checked, never to a fresh lookup, so a DNS answer cannot change between the
check and the connect (DNS rebinding).

Bodies are capped after decompression and the whole fetch, redirects included,
runs against a single deadline, so a hostile server can neither exhaust memory
nor tie up a worker.

The work is split by concern: ``addresses`` decides what may be fetched (URL
parsing and normalisation, address checks, DNS resolution), ``transport``
fetches it (pinned connections, redirects, size and time limits),
``documents`` turns the bytes into a page or an image, and ``policy`` holds
the limits and the two exceptions.
"""

from forum.news.fetcher.addresses import check_address, normalize_url
from forum.news.fetcher.documents import (
    FetchedImage,
    FetchedPage,
    fetch_image,
    fetch_page,
)
from forum.news.fetcher.policy import FetchFailed, FetchPolicy, FetchRefused
from forum.news.fetcher.transport import USER_AGENT

__all__ = [
    "FetchFailed",
    "FetchPolicy",
    "FetchRefused",
    "FetchedImage",
    "FetchedPage",
    "USER_AGENT",
    "check_address",
    "fetch_image",
    "fetch_page",
    "normalize_url",
]
