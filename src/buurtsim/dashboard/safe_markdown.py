"""Markdown from users (scenario descriptions) to HTML that cannot run anything.

Raw HTML is shown as text (every `<` is escaped before rendering), links keep their target only
when it is an http, https or mailto URL (`buurtsim.escape.safe_url`), and images become their
alt text, so nothing is loaded from elsewhere and no `javascript:` link is made.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from buurtsim.escape import safe_url


class _SafeLinks(Treeprocessor):
    def run(self, root: ET.Element) -> None:
        for parent in root.iter():
            for el in list(parent):
                if el.tag == "a":
                    href = el.get("href", "")
                    if not safe_url(href):
                        el.attrib.pop("href", None)
                    else:
                        el.set("rel", "noopener noreferrer nofollow")
                        el.set("target", "_blank")
                elif el.tag == "img":
                    span = ET.Element("span")
                    span.text = el.get("alt", "")
                    span.tail = el.tail
                    parent[list(parent).index(el)] = span


class SafeLinks(Extension):
    """Markdown extension: drop unsafe link targets and images."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        """Register the tree processor after inline parsing."""
        md.treeprocessors.register(_SafeLinks(md), "buurtsim_safe_links", 0)


def render(text: str) -> str:
    """User Markdown as HTML: tables, fenced code and lists; raw HTML as text; only safe links."""
    return markdown.markdown(text.replace("<", "&lt;"), extensions=["tables", "fenced_code", "sane_lists", SafeLinks()])
