"""A saved web page -> the article's text, with its headings and lists kept as Markdown.

readability-lxml finds the article (navigation, sidebars, footers and "related" blocks go);
this module then writes what is left as Markdown-like text for the layout reader, leaving out
page furniture readability keeps: figures and their captions, bylines, share and ad slots.
"""

from __future__ import annotations

import re
from typing import cast

from voiceguide.errors import RoutineError

# lxml and readability are imported where a web page is read: they take a fifth of a second to
# load, which every other command (play, render) would otherwise pay at start-up.

_SKIPPED_TAGS = frozenset(
    ["script", "style", "noscript", "figure", "figcaption", "img", "picture", "svg", "iframe", "video", "audio",
     "form", "button", "input", "select", "nav", "aside", "footer", "template"]
)
# Class or id words of page furniture inside an article (captions, credits, ads, sharing, promos).
_FURNITURE = re.compile(
    r"share|social|comment|related|newsletter|subscri|promo|advert|sponsor|breadcrumb|cookie|caption|byline|more-from"
    r"|recommend|slide-count|(?:^|[-_\s])(?:ad|ads|meta|dateline|credit|author|counter|toc|tags|table-of-contents)(?:$|[-_\s])",
    re.I,
)
_BLOCK_TAGS = frozenset(
    ["p", "div", "section", "article", "main", "header", "blockquote", "pre", "table", "tr", "dl", "dt", "dd", "ul", "ol", "body"]
)


def looks_like_html(text: str) -> bool:
    """A saved web page or an HTML fragment, rather than text or Markdown."""
    head = text[:4000].lower()
    return bool(re.search(r"<!doctype html|<html[\s>]|<body[\s>]", head)) or len(
        re.findall(r"</(?:p|h[1-6]|li|div)>", head)
    ) >= 3


def article_text(html: str, source: str) -> str:
    """The page's article as text: '# Heading' lines, '1. ' and '- ' list items, blank lines between paragraphs."""
    import lxml.html
    from readability import Document

    try:
        document = Document(_without_furniture(html))
        body = lxml.html.fromstring(document.summary(html_partial=True))
        title = re.split(r"\s+[|–—-]\s+", document.short_title().strip())[0]  # "Title | Site name"
    except Exception as exc:  # noqa: BLE001 - lxml and readability raise many kinds on broken pages
        raise RoutineError(source, None, f"cannot read the web page: {exc}") from None
    lines: list[str] = []
    _walk(body, lines)
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    if not text:
        raise RoutineError(source, None, "the web page has no article text")
    if title and not re.match(r"#\s", text):
        text = f"# {title}\n\n{text}"
    return text + "\n"


def _without_furniture(html: str) -> str:
    """The page with navigation, figures, share bars, comments and the like cut out before readability reads it.

    An element holding most of the page's words is never furniture, whatever its class says
    ("has-comments" on the body of a blog post).
    """
    import lxml.html

    # lxml refuses a str that declares its encoding; lxml.html's parser makes HtmlElements (its stubs say _Element)
    root = cast("lxml.html.HtmlElement", lxml.html.fromstring(re.sub(r"^\s*<\?xml[^>]*>", "", html)))
    total = len(root.text_content())
    _named_figures(root)
    for element in cast("list[lxml.html.HtmlElement]", list(root.iter())):
        if not isinstance(element.tag, str) or element.getparent() is None or element.tag in ("html", "body", "main", "article"):
            continue
        if (element.tag in _SKIPPED_TAGS or _is_furniture(element)) and len(element.text_content()) < 0.3 * total:
            element.drop_tree()
    return lxml.html.tostring(root, encoding="unicode")


# A caption that names something ("Heel raises"), not a credit, a counter or a sentence about the picture.
_NAME_CAPTION = re.compile(r"^(?!.*\b(?:getty|shutterstock|istock|photo|image|credit|slide|courtesy|©)\b)[A-Z][\w'’ -]{1,60}$", re.I)


def _named_figures(root) -> None:
    """A figure captioned with a short name is an exercise's heading set as its picture's caption: the caption
    is kept as a bold line where the figure stood (the figure itself goes with the other furniture)."""
    import lxml.html

    for figure in list(root.iter("figure")):
        caption = figure.find(".//figcaption")
        words = " ".join(caption.text_content().split()) if caption is not None else ""
        if words and len(words.split()) <= 6 and _NAME_CAPTION.match(words):
            heading = lxml.html.Element("p")
            bold = lxml.html.Element("strong")
            bold.text = words
            heading.append(bold)
            figure.addprevious(heading)


def _is_furniture(element) -> bool:
    marks = f"{element.get('class', '')} {element.get('id', '')} {element.get('role', '')}"
    return bool(_FURNITURE.search(marks))


def _inline(element) -> str:
    """An element's words on one line, furniture inside it left out."""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and child.tag not in _SKIPPED_TAGS and not _is_furniture(child):
            parts.append(" " + _inline(child) + " " if child.tag in ("br", "li", "p", "div") else _inline(child))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def _walk(element, lines: list[str], list_kind: str | None = None) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in _SKIPPED_TAGS or (tag and _is_furniture(element)):
        return
    if re.fullmatch(r"h[1-6]", tag):
        text = _inline(element)
        if text:
            lines += ["", "#" * int(tag[1]) + " " + text, ""]
    elif tag == "li":
        _walk_item(element, lines, list_kind)
    elif tag == "tr":  # a table row as Markdown writes it: the layout reader reads its cells
        cells = [_inline(cell) for cell in element if isinstance(cell.tag, str) and cell.tag in ("td", "th")]
        if any(cells):
            lines.append("| " + " | ".join(cells) + " |")
    elif tag in ("ul", "ol"):
        lines.append("")
        for child in element:
            _walk(child, lines, tag)
        lines.append("")
    else:
        _walk_block(element, lines, list_kind)


def _walk_item(element, lines: list[str], list_kind: str | None) -> None:
    """A list item as one line ("3. ..." in an ordered list, "- ..." otherwise), then the lists inside it."""
    number = len([s for s in element.itersiblings(preceding=True) if s.tag == "li"]) + 1
    marker = f"{number}." if list_kind == "ol" else "-"
    nested = [c for c in element if c.tag in ("ul", "ol")]
    for child in nested:
        element.remove(child)
    lines.append(f"{marker} {_inline(element)}")
    for child in nested:
        _walk(child, lines, child.tag)


def _bold_lead(element) -> str | None:
    """The words of a bold run that opens a paragraph, if it opens it."""
    first = next((c for c in element if isinstance(c.tag, str)), None)
    if first is None or first.tag not in ("strong", "b") or (element.text or "").strip():
        return None
    return " ".join(first.text_content().split()) or None


def _walk_block(element, lines: list[str], list_kind: str | None) -> None:
    """Any other element: one paragraph, or (holding blocks) its loose text and its children, each apart."""
    has_blocks = any(isinstance(c.tag, str) and (c.tag in _BLOCK_TAGS or re.fullmatch(r"h[1-6]|li", c.tag)) for c in element)
    if not has_blocks:
        text = _inline(element)
        lead = _bold_lead(element)
        if lead and text.startswith(lead):  # "<p><strong>Bridge.</strong> Lie on your back...": the name stays marked
            text = f"**{lead}** {text[len(lead):].strip()}"
        if text:
            lines += ["", text, ""]
        return
    if element.text and element.text.strip():
        lines += ["", " ".join(element.text.split()), ""]
    for child in element:
        _walk(child, lines, list_kind)
        if child.tail and child.tail.strip():
            lines += ["", " ".join(child.tail.split()), ""]
