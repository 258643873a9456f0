"""Typesetting: an HTML document (from reports/pdf.py) laid out into PDF bytes by WeasyPrint.

This module is the only one that touches WeasyPrint, and it imports nothing of the records, so that
a process can load it, and WeasyPrint, without the rest of the program (see `start_worker`).

Safety: WeasyPrint gets a URL fetcher that serves only this package's bundled assets (the stylesheet
and the fonts) and refuses every other URL (file:, http(s):, data: ...).

Speed: WeasyPrint costs ~0.3 s to import, as much as the command line's own start, the loading of
the records and the templating together. On Linux, `frameworks brief` starts a worker process at
once (`start_worker`, called by __main__.py before the command line is even parsed): it imports
WeasyPrint on the other processor core while this process starts, then lays out the one document it
is sent. Without a worker (the pack, another system, a library caller, a worker that died),
`typeset` does the same work in this process.
"""

from __future__ import annotations

import datetime as dt
import gc
import io
import logging
import os
import pickle
import signal
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, redirect_stdout
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from types import ModuleType
from typing import Any

from .html import TEMPLATES

ASSET_SCHEME = "asset:"
PDF_VARIANT = "pdf/ua-1"
GC_PAGES = 20  # documents longer than this free layout's garbage before the PDF is assembled
_FONT_FILES = {
    "font_source_serif_pro": ("SourceSerifPro-Regular", "SourceSerifPro-It", "SourceSerifPro-Semibold", "SourceSerifPro-Bold"),
    "font_source_sans_pro": ("SourceSansPro-Regular", "SourceSansPro-It", "SourceSansPro-Semibold", "SourceSansPro-Bold"),
}
_MEDIA_TYPES = {".css": "text/css", ".ttf": "font/ttf", ".otf": "font/otf"}


@dataclass(frozen=True)
class AttachedFile:
    """A file to embed in the PDF (a record's YAML)."""

    name: str
    data: bytes
    description: str


@dataclass(frozen=True)
class PdfJob:
    """What to typeset: the HTML, the files to attach, and the time to stamp on them."""

    html: str
    attachments: tuple[AttachedFile, ...]
    generated: dt.datetime  # attachments default to the current time; this keeps the bytes reproducible


@dataclass(frozen=True)
class RenderedPdf:
    """The PDF bytes, its page count and any warning WeasyPrint logged while making it."""

    data: bytes
    pages: int
    warnings: tuple[str, ...]


def typeset(job: PdfJob) -> RenderedPdf:
    """Lay `job` out as a tagged PDF (PDF/UA-1), in the worker when one was started, else here."""
    if _worker is not None:
        rendered = _worker.typeset(job)
        if rendered is not None:
            return rendered
    return typeset_here(job)


def typeset_here(job: PdfJob) -> RenderedPdf:
    """Lay `job` out with WeasyPrint in this process; every URL goes through the asset-only fetcher."""
    weasyprint = load_weasyprint()
    fetcher = asset_fetcher()
    attachments = [
        weasyprint.Attachment(
            string=file.data,
            name=file.name,
            description=file.description,
            created=job.generated,
            modified=job.generated,
            relationship="Source",
            url_fetcher=fetcher,
        )
        for file in job.attachments
    ]
    with captured_warnings() as warnings, fewer_collections():
        document = weasyprint.HTML(string=job.html, url_fetcher=fetcher).render()
        # Layout leaves many reference cycles behind; freeing them before the PDF is assembled keeps
        # the two phases' memory from adding up (~20 MiB in the pack). A short brief has little to
        # free and would pay ~0.05 s for it.
        if len(document.pages) > GC_PAGES:
            gc.collect()
        # PDF/UA-1: tagged structure (headings, lists, tables with header cells), the document title
        # shown by viewers (DisplayDocTitle), the language, and described link annotations.
        data = document.write_pdf(attachments=attachments, pdf_identifier=False, pdf_variant=PDF_VARIANT)
    if fetcher.refused:
        warnings.append("refused to fetch: " + ", ".join(sorted(set(fetcher.refused))))
    return RenderedPdf(data=data, pages=len(document.pages), warnings=tuple(warnings))


def load_weasyprint() -> ModuleType:
    """WeasyPrint, imported on first use, without the ~0.17 s its library lookup costs on Linux.

    WeasyPrint asks cffi for each library by several names ('libpango-1.0-0', 'pango-1.0', ...,
    'libpango-1.0.so.0'). Every name dlopen cannot load makes cffi call ctypes.util.find_library,
    which on Linux runs ldconfig, gcc and ld as subprocesses: about fifty of them per import. The
    sonames in the list load directly wherever the libraries are installed, so on Linux the lookup
    is switched off while WeasyPrint is imported; should that import fail, it is retried as usual.
    """
    if "weasyprint" in sys.modules or sys.platform != "linux":
        import weasyprint

        return weasyprint
    import ctypes.util

    find_library = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        # WeasyPrint prints installation advice to stdout when a library is missing: only the
        # retry below, with the usual lookup, may print it.
        with redirect_stdout(io.StringIO()):
            import weasyprint
    except OSError:
        ctypes.util.find_library = find_library
        import weasyprint
    finally:
        ctypes.util.find_library = find_library
    return weasyprint


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Layout makes millions of short-lived objects, and Python's cyclic collector would scan all
    that was alive before (the records, every imported module) again and again: ~10% of a brief's
    time. Those objects are moved out of its sight (gc.freeze) and it runs less often; both undone after."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(10_000, 20, 20)
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


@contextmanager
def captured_warnings() -> Iterator[list[str]]:
    """Collect what WeasyPrint logs at WARNING and above (it logs to a NullHandler by default, so
    without this a missing font or a refused URL would pass unnoticed)."""
    messages: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            messages.append(record.getMessage())

    logger = logging.getLogger("weasyprint")
    handler = Collect(logging.WARNING)
    logger.addHandler(handler)
    try:
        yield messages
    finally:
        logger.removeHandler(handler)


@cache
def assets() -> dict[str, Path]:
    """Every URL the templates may load ('asset:<name>'), mapped to its bundled file. Only these
    names are served: there is no path to traverse, so 'asset:../../etc/passwd' is just unknown."""
    found = {name: TEMPLATES / name for name in ("brief.css", "brief-cjk.css", "brief-cjk.otf")}
    for package, stems in _FONT_FILES.items():
        folder = Path(str(resources.files(package) / "files"))
        for stem in stems:
            found[f"fonts/{stem}.ttf"] = folder / f"{stem}.ttf"
    return found


def asset_fetcher() -> Any:
    """A new WeasyPrint URL fetcher that serves the bundled assets and refuses everything else.

    It remembers what it served and refused (`served`, `refused`) so callers and tests can check.
    """
    return _fetcher_class()()


@cache
def _fetcher_class() -> type:
    # Defined on first use because the base class lives in WeasyPrint, which is imported lazily.
    load_weasyprint()
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class AssetFetcher(URLFetcher):
        """Serves 'asset:<name>' for the names of `assets()`; raises for any other URL."""

        def __init__(self) -> None:
            # No protocol at all is allowed to the base class, should anything reach it.
            super().__init__(timeout=1, allowed_protocols=(), allow_redirects=False, fail_on_errors=False)
            self.served: list[str] = []
            self.refused: list[str] = []

        def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> URLFetcherResponse:
            name = url[len(ASSET_SCHEME) :] if url.startswith(ASSET_SCHEME) else None
            if name is None or name not in assets():
                self.refused.append(url[:200])
                raise ValueError(f"refused: only the brief's bundled assets are served, not {url[:80]!r}")
            self.served.append(url)
            path = assets()[name]
            # Read on each request, not cached: WeasyPrint keeps its own copy of each font file.
            media_type = _MEDIA_TYPES.get(path.suffix, "application/octet-stream")
            return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": media_type}, status=200)

    return AssetFetcher


# --- The worker: WeasyPrint imported in a second process while this one starts ------------------


class _Worker:
    """A forked child that imports WeasyPrint, then typesets the one job sent through a pipe."""

    def __init__(self, pid: int, jobs: int, results: int) -> None:
        self.pid, self.jobs, self.results = pid, jobs, results

    def typeset(self, job: PdfJob) -> RenderedPdf | None:
        """The worker's result for `job`; None if the worker is gone (the caller typesets here).
        An error inside WeasyPrint is raised here, as it would be in this process."""
        global _worker
        _worker = None  # one job per worker
        try:
            with os.fdopen(self.jobs, "wb") as jobs:
                pickle.dump(job, jobs, protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(self.results, "rb") as results:
                reply = results.read()
        except OSError:
            reply = b""
        except BaseException:  # Ctrl-C or SIGTERM while waiting: the worker's work is not wanted
            _end(self.pid)
            raise
        _reap(self.pid)
        if not reply:
            return None
        # The child is this same program, forked: what it sends is ours, not outside data.
        outcome, value = pickle.loads(reply)  # noqa: S301
        if outcome == "error":
            raise RuntimeError(f"typesetting failed: {value}")
        return value

    def stop(self) -> None:
        """End a worker that was never sent a job (the command failed or did not need it)."""
        global _worker
        _worker = None
        for fd in (self.jobs, self.results):
            try:
                os.close(fd)
            except OSError:
                pass
        _end(self.pid)  # it may still be importing WeasyPrint: no need to wait for that


_worker: _Worker | None = None


def start_worker() -> None:
    """Fork the worker (Linux only; elsewhere, or if the fork fails, typeset() works in-process).

    Called by __main__.py for `brief` before anything else is imported, when this
    process holds no thread and no open library state, so that forking is safe.
    """
    global _worker
    if _worker is not None or sys.platform != "linux":
        return
    try:
        jobs_read, jobs_write = os.pipe()
        results_read, results_write = os.pipe()
        pid = os.fork()
    except OSError:
        return
    if pid == 0:  # the worker
        os.close(jobs_write)
        os.close(results_read)
        _serve(jobs_read, results_write)
    os.close(jobs_read)
    os.close(results_write)
    _worker = _Worker(pid, jobs_write, results_read)
    import atexit

    atexit.register(stop_worker)


def stop_worker() -> None:
    """End the worker if it is still waiting for a job (at exit, and in tests)."""
    if _worker is not None:
        _worker.stop()


def _serve(jobs: int, results: int) -> None:
    """The worker's whole life: import WeasyPrint, typeset one job, send the result, exit."""
    status = 0
    try:
        load_weasyprint()
        _fetcher_class()
        with os.fdopen(jobs, "rb") as incoming:
            request = incoming.read()
        if request:
            try:
                reply: tuple[str, Any] = ("ok", typeset_here(pickle.loads(request)))  # noqa: S301 (our own parent)
            except Exception as exc:  # reported by the parent, which owns the terminal
                reply = ("error", f"{type(exc).__name__}: {exc}")
            with os.fdopen(results, "wb") as outgoing:
                pickle.dump(reply, outgoing, protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException:  # Ctrl-C, a parent gone (broken pipe): the parent reports, if anyone
        status = 1
    finally:
        os._exit(status)  # never return into the command line that this process was forked from


def _end(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    _reap(pid)


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass
