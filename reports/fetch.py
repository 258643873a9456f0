"""Fetching one web page for `sources check`: bounded in time and size, retried with back-off,
redirects followed and remembered, and the page's text extracted the way the held texts were made.

httpx does the HTTP; this module adds what a watcher needs on top: a deadline for the whole answer
(a server that drips one byte a second never times out a read), a cap on the body, the content
types we can read, and retries of what may pass (connection errors, timeouts, 429 and 5xx).
Every failure becomes a FetchFailed with a sentence saying why the page was not looked at.
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass, field

import httpx

from .. import __version__

# A real, honest User-Agent: who is asking and why (some official sites refuse anonymous clients).
USER_AGENT = f"space-frameworks-source-watch/{__version__} (python-httpx/{httpx.__version__}; re-reads the sources the dataset cites)"
# What we can turn into text; anything else (an image, a zip, a binary) cannot be compared.
HTML_TYPES = ("text/html", "application/xhtml+xml")
XML_TYPES = ("text/xml", "application/xml")
PDF_TYPES = ("application/pdf",)
TEXT_TYPES = ("text/plain",)
READABLE_TYPES = HTML_TYPES + XML_TYPES + PDF_TYPES + TEXT_TYPES
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
# Elements whose text is never part of a page's words.
_SKIPPED = ("script", "style", "noscript", "template", "head")
# Elements that end a line, so that adjacent cells and paragraphs do not run into one word.
_BLOCKS = frozenset(
    "p div br li tr td th h1 h2 h3 h4 h5 h6 section article header footer nav table ul ol dl dt dd blockquote pre hr title".split()
)


@dataclass(frozen=True)
class FetchLimits:
    """How long and how much one check may take."""

    connect_timeout: float = 10.0  # seconds to connect
    read_timeout: float = 20.0  # seconds between two pieces of the answer
    deadline: float = 60.0  # seconds for the whole answer, retries excluded
    max_bytes: int = 25 * 1024 * 1024  # a larger body is not read
    retries: int = 2  # further tries after the first, for what may pass
    backoff: float = 2.0  # seconds before the first retry, doubled each time
    max_redirects: int = 10


@dataclass(frozen=True)
class Redirect:
    """One step of a redirect chain: the address that answered with `status`, pointing on."""

    status: int
    url: str


@dataclass(frozen=True)
class Page:
    """A page as fetched: where it ended up, how it got there, and its text."""

    url: str  # the address asked for
    final_url: str  # where the answer came from after redirects
    status: int
    content_type: str
    text: str
    redirects: tuple[Redirect, ...] = ()
    attempts: int = 1

    @property
    def permanently_moved(self) -> bool:
        """Whether the chain holds a permanent redirect (301, 308): the address to cite has changed."""
        return any(r.status in (301, 308) for r in self.redirects)


@dataclass
class FetchFailed(Exception):
    """The page was not looked at; `reason` says why in words a reader follows."""

    reason: str
    status: int | None = None
    final_url: str | None = None
    redirects: tuple[Redirect, ...] = ()
    attempts: int = 1
    retriable: bool = field(default=False, repr=False)

    def __str__(self) -> str:
        return self.reason


def make_client(limits: FetchLimits) -> httpx.Client:
    """One HTTP client for a whole check (connections reused; safe to share between threads)."""
    timeout = httpx.Timeout(limits.read_timeout, connect=limits.connect_timeout)
    return httpx.Client(
        headers={"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml,application/pdf,text/plain;q=0.9,*/*;q=0.5"},
        timeout=timeout,
        follow_redirects=True,
        max_redirects=limits.max_redirects,
    )


def fetch_page(client: httpx.Client, url: str, limits: FetchLimits, sleep=time.sleep) -> Page:
    """Fetch `url` and extract its text, retrying what may pass; raise FetchFailed if it cannot be read."""
    attempt = 0
    while True:
        attempt += 1
        try:
            page = _fetch_once(client, url, limits)
        except FetchFailed as exc:
            exc.attempts = attempt
            if not exc.retriable or attempt > limits.retries:
                raise
            sleep(limits.backoff * 2 ** (attempt - 1))
            continue
        return Page(**{**page.__dict__, "attempts": attempt})


def _fetch_once(client: httpx.Client, url: str, limits: FetchLimits) -> Page:
    started = time.monotonic()
    try:
        with client.stream("GET", url) as response:
            redirects = tuple(Redirect(r.status_code, str(r.url)) for r in response.history)
            final = str(response.url)

            def failed(reason: str, retriable: bool = False) -> FetchFailed:
                return FetchFailed(reason, response.status_code, final, redirects, retriable=retriable)

            if response.status_code >= 400:
                phrase = response.reason_phrase or ""
                what = "not found" if response.status_code in (404, 410) else "refused"
                raise failed(f"{what} (HTTP {response.status_code} {phrase})".replace(" )", ")"), response.status_code in RETRY_STATUSES)
            content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
            if content_type not in READABLE_TYPES:
                raise failed(f"the server sent {content_type or 'no content type'}, not a web page, PDF or text that can be compared")
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limits.max_bytes:
                raise failed(
                    f"the page is {int(declared) // (1024 * 1024)} MiB, more than the {limits.max_bytes / (1024 * 1024):g} MiB read"
                )
            body = bytearray()
            for chunk in response.iter_bytes():
                body.extend(chunk)
                if len(body) > limits.max_bytes:
                    raise failed(f"the page is larger than the {limits.max_bytes / (1024 * 1024):g} MiB read")
                if time.monotonic() - started > limits.deadline:
                    raise failed(f"no complete answer within {limits.deadline:g} s (the server sends too slowly)")
            text = extract_text(bytes(body), content_type, response.encoding)
            return Page(url, final, response.status_code, content_type, text, redirects)
    except FetchFailed:
        raise
    except httpx.TooManyRedirects:
        raise FetchFailed(f"more than {limits.max_redirects} redirects") from None
    except httpx.TimeoutException:
        raise FetchFailed("timed out", retriable=True) from None
    except httpx.ConnectError as exc:
        raise FetchFailed(f"could not connect ({_short(exc)})", retriable=True) from None
    except httpx.HTTPError as exc:  # a broken answer, a protocol error, an invalid URL
        raise FetchFailed(f"the exchange failed ({_short(exc)})", retriable=isinstance(exc, httpx.TransportError)) from None
    except ValueError as exc:  # a body that cannot be decoded or parsed
        raise FetchFailed(f"the page could not be read ({_short(exc)})") from None


def _short(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) <= 120 else text[:117] + "..."


def extract_text(body: bytes, content_type: str, encoding: str | None = None) -> str:
    """The words of a page: HTML and XML without tags, scripts or styles; a PDF's text layer (pypdf,
    as the held UN texts were checked); plain text as it is."""
    if content_type in PDF_TYPES:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError

        try:
            reader = PdfReader(io.BytesIO(body))
            return "\n".join(page.extract_text() or "" for page in reader.pages)
        except (PdfReadError, OSError) as exc:
            raise ValueError(f"not a readable PDF: {exc}") from None
    if content_type in HTML_TYPES or content_type in XML_TYPES:
        import lxml.etree
        import lxml.html

        if not body.strip():
            return ""
        try:
            root = lxml.html.document_fromstring(body) if content_type in HTML_TYPES else lxml.etree.fromstring(body, _xml_parser())
        except (lxml.etree.ParserError, lxml.etree.XMLSyntaxError) as exc:
            raise ValueError(str(exc)) from None
        for element in list(root.iter(*_SKIPPED)):
            _drop(element)
        for element in root.iter():
            if isinstance(element.tag, str) and element.tag.lower() in _BLOCKS:
                element.tail = "\n" + (element.tail or "")
        return "".join(root.itertext())
    return body.decode(encoding or "utf-8", errors="replace")


def _drop(element) -> None:
    """Remove `element` and its text, keeping its tail (the parent's text that follows it)."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        before = element.getprevious()
        if before is not None:
            before.tail = (before.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _xml_parser():
    import lxml.etree

    # No entities resolved, no network, no DTD: an XML page is data from a stranger.
    return lxml.etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=True)
