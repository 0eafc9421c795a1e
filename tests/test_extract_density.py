"""The main text block by text density (the readability-style second opinion beside
trafilatura): found on table layouts, text between line breaks and pages of many links."""

from __future__ import annotations

import lxml.html

from newsbot.extract.density import block_paragraphs, main_block
from newsbot.extract.generic import _arbitrate

PROSE = [
    "The council met on Tuesday evening, and after a long debate, it voted to repair the old "
    "bridge, which has been closed since the spring floods.",
    "Engineers said the work, which will cost about two million, should take eight months, "
    "although bad weather could delay it.",
    "Residents, many of whom now drive an hour around the river, welcomed the decision, but "
    "some asked why it had taken so long.",
]
LINKS = "".join(f'<li><a href="/s/{i}">Another story headline number {i}</a></li>'
                for i in range(12))


def tree(body: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(f"<html><body>{body}</body></html>")


def test_table_layout_with_text_between_line_breaks() -> None:
    text = "<br><br>".join(PROSE)
    page = tree(f"<table><tr><td class='nav'><ul>{LINKS}</ul></td>"
                f"<td class='story'><b>Bridge to reopen</b><br>{text}</td></tr></table>")
    block = main_block(page)
    assert block is not None
    paras = block_paragraphs(block.elements)
    assert all(p in paras for p in PROSE)
    assert not any("Another story" in p for p in paras)


def test_article_paragraphs_beat_a_long_list_of_links() -> None:
    body = "".join(f"<p>{p}</p>" for p in PROSE)
    page = tree(f"<div id='sidebar'><ul>{LINKS}</ul><ul>{LINKS}</ul></div>"
                f"<div class='content'>{body}</div><div class='comments'><p>Nice.</p></div>")
    paras = block_paragraphs(main_block(page).elements)
    assert paras == PROSE


def test_no_paragraph_no_block() -> None:
    assert main_block(tree("<p>short</p><a href='/'>home</a>")) is None


def test_the_block_replaces_output_that_missed_it() -> None:
    page = tree("<div class='content'>" + "".join(f"<p>{p}</p>" for p in PROSE) + "</div>")
    block = main_block(page)
    assert _arbitrate(["Menu", "Home", "Contact us"], block) == PROSE


def test_short_lines_around_the_block_go_long_text_stays() -> None:
    page = tree("<div class='content'>" + "".join(f"<p>{p}</p>" for p in PROSE) + "</div>")
    block = main_block(page)
    extra_prose = ("A separate paragraph the block does not hold but that is long enough to be "
                   "article text, with more than a hundred characters in it.")
    noisy = ["Weather: 7°C", *PROSE, "More articles in Local", "Don't miss", extra_prose,
             "Sign in", "Subscribe today", "Privacy", "Terms", "Contact"]
    assert _arbitrate(noisy, block) == [*PROSE, extra_prose]


def test_output_that_agrees_with_the_block_is_kept() -> None:
    page = tree("<div class='content'>" + "".join(f"<p>{p}</p>" for p in PROSE) + "</div>")
    assert _arbitrate(PROSE, main_block(page)) == PROSE
