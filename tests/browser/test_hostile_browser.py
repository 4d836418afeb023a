"""Hostile data text in a real browser (issue 7, item 8): the hostile fixtures committed by the real
`indicators import`, then every page, on a desktop and on a phone, checked in the rendered page:

- no script from the data ran (the payloads set `window.__pwned`);
- no request left the dashboard (an image from data would be fetched with the dashboard as referrer);
- no `<img>`, `<iframe>`, `<object>`, `<embed>`, `<svg><image>` or `<script>` from data, no element with an
  `on…` handler, no LaTeX, coloured text or icon drawn from data, no link inside a chart;
- every link in the page shows its own address (a link to a page of the app, or a web address in the data
  written out in full);
- the text of the payloads is on the page, as text.

Screenshots go to test-artifacts/hostile_*.png.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import unquote

import pytest

from tests.browser.conftest import idle, shot
from tests.hostile_text import hostile_store
from tests.live_server import serve

pytestmark = pytest.mark.browser

# tall viewports: Streamlit scrolls its own container, so a screenshot holds only what the viewport shows
VIEWPORTS = {"desktop": {"width": 1440, "height": 2400}, "phone": {"width": 390, "height": 2400}}
PAGES = ["", "indicator?indicator=xss_name", "indicator?indicator=long_word", "indicator?indicator=formula",
         "communes", "data", "history", "present?slide=1", "present?slide=2", "present?slide=3",
         "indicator?indicator=xss_name&lang=en"]

PROBE = """() => {
  const main = document.querySelector('[data-testid="stMain"]') || document.body;
  const out = {pwned: typeof window.__pwned, bad_links: [], embeds: [], handlers: [], chart_links: 0,
               chart_styles: [], katex: 0, coloured: [], icons: [], scripts: []};
  for (const a of main.querySelectorAll('a[href]')) {
    const href = a.getAttribute('href'), text = a.textContent.trim();
    if (href.startsWith('#') || a.href.startsWith(location.origin + '/') || a.closest('svg')) continue;  // the app's pages
    const shown = [text, 'http://' + text, 'https://' + text, 'mailto:' + text];
    let decoded = href; try { decoded = decodeURI(href); } catch (e) {}
    if (!shown.includes(href) && !shown.includes(decoded)) out.bad_links.push([text.slice(0, 80), href.slice(0, 80)]);
  }
  for (const e of document.querySelectorAll('img, iframe, object, embed, image, video, audio'))
    out.embeds.push(e.tagName + ' ' + (e.getAttribute('src') || e.getAttribute('href') || '').slice(0, 80));
  for (const e of main.querySelectorAll('*'))
    for (const at of e.getAttributeNames()) if (at.startsWith('on')) out.handlers.push(e.tagName + ' ' + at);
  out.chart_links = main.querySelectorAll('.js-plotly-plot a').length;
  for (const e of main.querySelectorAll('.js-plotly-plot tspan[style]')) if (!(e.closest('.gtitle') && e.getAttribute('style') === 'font-weight:bold' && e.parentElement.textContent === e.textContent)) out.chart_styles.push(e.getAttribute('style') + ' ' + e.textContent.slice(0, 40));
  out.katex = main.querySelectorAll('.katex, math').length;
  for (const e of main.querySelectorAll('.stMarkdownColoredText, .stMarkdownColoredBackground'))
    out.coloured.push(e.textContent.slice(0, 40));
  for (const e of main.querySelectorAll('[data-testid="stMarkdownContainer"] span[role="img"]'))
    out.icons.push(e.textContent.slice(0, 40));
  for (const s of document.querySelectorAll('script'))
    if (!s.src && s.textContent.includes('__pwned')) out.scripts.push(s.textContent.slice(0, 80));
  return out;
}"""


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("hostile_browser")
    with serve(folder, extra_env=hostile_store(folder)) as running:
        yield running.url


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_no_page_renders_markup_or_runs_script_from_data(hostile_server: str, browser: object,
                                                          viewport: str) -> None:
    context = browser.new_context(viewport=VIEWPORTS[viewport])  # type: ignore[attr-defined]
    outside: list[str] = []
    context.on("request", lambda r: outside.append(r.url)
               if not r.url.startswith((hostile_server, "data:", "blob:")) else None)
    page = context.new_page()
    failures = {}
    texts = []
    try:
        for path in PAGES:
            page.goto(f"{hostile_server}/{path}")
            page.wait_for_selector("[data-testid='stMain'] :is(h1, h2)", timeout=60_000)  # its title is drawn
            idle(page)
            page.wait_for_timeout(1500)  # charts and lazy Markdown plugins finish drawing
            idle(page)
            found = page.evaluate(PROBE)
            assert not page.locator("[data-testid='stException']").count(), path
            bad = {k: v for k, v in found.items() if v and k != "pwned"}
            if found["pwned"] != "undefined":
                bad["pwned"] = found["pwned"]
            if bad:
                failures[path] = bad
            texts.append(page.inner_text("[data-testid='stMain']"))
            assert len(texts[-1]) > 200, (path, texts[-1])  # the page is there, not a blank one
            name = path.replace("?", "_").replace("=", "-").replace("&", "_") or "overview"
            shot(page, f"hostile_{viewport}_{name}")
    finally:
        context.close()
    assert failures == {}
    assert outside == []
    shown = "\n".join(texts)
    assert '<img src=x onerror="window.__pwned=1"> **Đậm** [https://gov.vn](http://evil.example/phish)' in shown
    assert ":red[đỏ]" in shown and "$x^2$" in shown and "<script>" in shown
    assert "…" in shown
    assert unquote("%3Cb%3E") in shown  # '<b>' is on the page as two characters and a letter
