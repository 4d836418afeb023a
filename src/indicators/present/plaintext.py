"""Data text stays plain text: one helper per place it is shown, and one way to shorten it.

Names, units, areas, groups, sources and notes come from files anyone may write. Wherever they are shown
they are text, never markup:

- `markdown_text` for Streamlit (st.markdown, titles, captions, widget labels, metric values, help): every
  ASCII punctuation character is backslash-escaped (CommonMark allows that for each of them), so no link,
  image, emphasis, heading, list, table, HTML tag, entity, `$LaTeX$`, `:red[…]` directive or emoji
  shortcode can start; `/` is escaped too because Streamlit turns `:material/…:` into an icon before it
  parses the text, and `:streamlit:` gets an invisible word joiner because Streamlit replaces it in the
  parsed text. Line breaks become spaces (a line of data never starts a list or a code block). What stays:
  a web address in the text is shown as a link whose text is its own address (GitHub's autolinks), which
  hides nothing; Streamlit opens it in a new tab with no referrer.
- `chart_text` for Plotly, which draws `<b>`, `<a href>`, `<span style>`, `<br>` from any text of a figure:
  `&`, `<`, `>` become entities (Plotly decodes only those few, once, after it has split the tags), `$`
  becomes `&#36;` (no MathJax), and `%{` becomes `%&#123;` (no hover-template field).
- `shorten` cuts a long text at a word, with "…", for places of fixed size (titles, cards, slides, chart
  labels); the full text stays in the tables and the downloads.

    >>> print(markdown_text("**5** :red[x]"))
    \\*\\*5\\*\\* \\:red\\[x\\]
    >>> chart_text("<b>5 $</b>")
    '&lt;b&gt;5 &#36;&lt;/b&gt;'
    >>> shorten("Số xã đạt chuẩn nông thôn mới", 16)
    'Số xã đạt chuẩn…'
"""

from __future__ import annotations

import re

ELLIPSIS = "…"

#: Longest texts shown whole in places of fixed size (characters); longer ones are cut with "…".
NAME_LIMIT = 200    # an indicator's name in a title, a card, a sentence, a table of a brief
LABEL_LIMIT = 90    # a chart title, a slide title, an option of a list
TICK_LIMIT = 60     # a category label on a chart axis, a legend entry
UNIT_LIMIT = 40     # a unit after a number
AREA_LIMIT = 100    # an area's name in a heading or a footer
GROUP_LIMIT = 120   # a group's name in a heading
SOURCE_LIMIT = 300  # one source or note in a caption, a sentence, a brief

_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character
_LINE_BREAKS = re.compile(r"\s*[\r\n\v\f\u2028\u2029]+\s*")
_STREAMLIT_LOGO = re.compile(r":(streamlit:)", re.IGNORECASE)
WORD_JOINER = "\u2060"


def shorten(text: object, limit: int) -> str:
    """`text` if it has at most `limit` characters, else its first words up to `limit - 1` and "…".

    A single word longer than the limit is cut inside the word."""
    value = "" if text is None else str(text)
    if len(value) <= limit:
        return value
    cut = value[: limit - 1]
    if not value[limit - 1].isspace() and " " in cut[limit // 2:]:  # drop the word cut in two
        cut = cut.rsplit(None, 1)[0]
    head = cut
    return head.rstrip(" ,;:.-—·") + ELLIPSIS


def markdown_text(text: object) -> str:
    """Text that Streamlit's Markdown shows exactly as written (see the module docstring)."""
    value = _LINE_BREAKS.sub(" ", "" if text is None else str(text)).replace("\t", " ")
    value = _STREAMLIT_LOGO.sub(":" + WORD_JOINER + r"\1", value)
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", value)


def chart_text(text: object) -> str:
    """Text that Plotly draws exactly as written, in titles, axes, legends, hover labels and tables."""
    value = "" if text is None else str(text)
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return value.replace("$", "&#36;").replace("%{", "%&#123;")


__all__ = ["ELLIPSIS", "NAME_LIMIT", "LABEL_LIMIT", "TICK_LIMIT", "UNIT_LIMIT", "AREA_LIMIT", "GROUP_LIMIT",
           "SOURCE_LIMIT", "shorten", "markdown_text", "chart_text"]
