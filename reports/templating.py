"""Self-contained HTML pages (no external assets) from Jinja2 templates with autoescape on.

Record text is untrusted: autoescaping turns any markup in it into visible text. This module only
knows templates; each renderer (listing, render, record, pdf) hands its own object to its template.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

TEMPLATES = Path(__file__).resolve().parent / "templates"


@cache
def environment() -> Any:
    """The one Jinja2 environment (templates compiled once per process)."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
    from markupsafe import Markup

    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    from ..schema.dates import format_date
    from .vocabulary import RELATION_BY_ID, RELATIONS, stance_css, stance_words

    env.filters["date"] = lambda value: format_date(value) if value else ""
    env.filters["stance"] = stance_words
    # A relation id in the reader's words; `n` frameworks compared ("both silent" for two).
    env.filters["relation"] = lambda relation, n=3: RELATION_BY_ID[relation].say(n)
    env.globals["stance_css"] = Markup(stance_css())
    env.globals["relations"] = RELATIONS
    env.filters["css_string"] = lambda text: Markup(css_string(str(text)))
    return env


def css_string(text: str) -> str:
    """`text` as a quoted CSS string: every character but ASCII letters, digits and spaces escaped,
    so that a record's title can end neither the string, nor the declaration, nor a <style> element."""
    return '"' + "".join(c if c.isascii() and (c.isalnum() or c == " ") else f"\\{ord(c):x} " for c in text) + '"'


def render(template: str, **context: Any) -> str:
    """Render one template of reports/templates/ with `context`."""
    return environment().get_template(template).render(**context)
