"""What the browser walk checks on each page, and how it says what it found.

Each check returns a list of findings, one readable line each; an empty list is a pass.
- ``overflow``: the page scrolls sideways (names the outermost elements that stick out);
- ``english``: an English sentence on a Korean or Vietnamese page (``english.py``);
- ``console``: an error in the browser console or an uncaught exception;
- ``axe``: a WCAG 2.x A/AA violation found by axe-core, run in the page.
"""

from functools import cache
from pathlib import Path

from .english import english_sentences

CHECKS = ("overflow", "english", "console", "axe")
AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0 and 2.1, levels A and AA (the level the product promises), and axe's best practices
# (landmarks, headings): cheap to keep and what a screen reader user navigates by.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]

OVERFLOW_JS = """() => {
  const root = document.documentElement;
  const width = root.clientWidth;
  const scroll = Math.max(root.scrollWidth, document.body.scrollWidth);
  if (scroll <= width + 1) return null;
  const scrolls = (el) => ["auto", "scroll", "hidden", "clip"].includes(getComputedStyle(el).overflowX);
  const describe = (el) => {
    let name = el.tagName.toLowerCase();
    if (el.id) name += "#" + el.id;
    if (el.classList.length) name += "." + [...el.classList].join(".");
    const text = (el.innerText || "").trim().replace(/\\s+/g, " ").slice(0, 40);
    return `${name} (right edge ${Math.round(el.getBoundingClientRect().right)} px)` + (text ? ` "${text}"` : "");
  };
  const culprits = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= width + 1) continue;
    // A box positioned absolutely is clipped only by the scrolling boxes around its containing
    // block, not by those between it and that block (a visually hidden label in a table that
    // scrolls in its own frame still widens the page).
    const position = getComputedStyle(el).position;
    const block = position === "fixed" ? document.body : position === "absolute" ? el.offsetParent : null;
    let inside = false;
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (block && up !== block && !up.contains(block)) continue;
      if (scrolls(up) || up.getBoundingClientRect().right > width + 1) { inside = true; break; }
    }
    if (!inside) culprits.push(describe(el));
    if (culprits.length >= 4) break;
  }
  if (!culprits.length) {  // no box sticks out: text does (a long word, an address); name the innermost such box
    const spilling = [...document.body.querySelectorAll("*")].filter((el) => el.scrollWidth > el.clientWidth + 1 && !scrolls(el));
    spilling.filter((el) => !spilling.some((other) => other !== el && el.contains(other))).slice(0, 4)
      .forEach((el) => culprits.push(describe(el) + ` holds ${el.scrollWidth} px of text in ${el.clientWidth} px`));
  }
  return {scroll, width, culprits};
}"""

# The page's own text, one line per block: text people see, and the labels screen readers read
# (aria-label, title, placeholder, alt). Left out: what is marked translate="no" or written in
# another language than the page (lang="..."), and code.
PAGE_TEXT_JS = """(page) => {
  const foreign = (el) => {
    const marked = el.closest("body [lang]");
    return marked !== null && marked.getAttribute("lang").toLowerCase().split("-")[0] !== page;
  };
  const skipped = [...document.body.querySelectorAll('[translate="no"], [lang], code, kbd, samp')]
    .filter((el) => el.matches('[translate="no"], code, kbd, samp') || foreign(el));
  const saved = skipped.map((el) => [el, el.style.getPropertyValue("display"), el.style.getPropertyPriority("display")]);
  skipped.forEach((el) => el.style.setProperty("display", "none", "important"));
  const lines = [document.body.innerText];
  for (const el of document.body.querySelectorAll("[aria-label], [title], [placeholder], img[alt]")) {
    if (el.closest('[translate="no"], code, kbd, samp') || foreign(el)) continue;
    for (const attribute of ["aria-label", "title", "placeholder", "alt"]) {
      const value = el.getAttribute(attribute);
      if (value) lines.push(value);
    }
  }
  saved.forEach(([el, value, priority]) => el.style.setProperty("display", value, priority));
  return {lang: document.documentElement.lang, text: lines.join("\\n")};
}"""

AXE_RUN_JS = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map((n) => ({target: n.target.join(" "), html: n.html.slice(0, 120),
      summary: (n.failureSummary || "").split("\\n").slice(1, 2).join(" ").trim()})),
    count: v.nodes.length,
  }));
}"""


@cache
def axe_source() -> str:
    if not AXE_JS.is_file():
        raise RuntimeError(f"{AXE_JS} is missing: run `npm ci` (make test and make screenshots do)")
    return AXE_JS.read_text()


def overflow(page) -> list[str]:
    found = page.evaluate(OVERFLOW_JS)
    if not found:
        return []
    culprits = "; ".join(found["culprits"])
    return [f"the page is {found['scroll']} px wide in a {found['width']} px window: {culprits}"]


def english(page, language: str, people, limit: int = 8) -> list[str]:
    seen = page.evaluate(PAGE_TEXT_JS, language)
    found = [f"English: “{sentence[:160]}”" for sentence in english_sentences(seen["text"], people)]
    if seen["lang"].split("-")[0] != language:
        found.insert(0, f"the page says it is written in “{seen['lang']}”, not {language}")
    return found[:limit] + ([f"... and {len(found) - limit} more English sentences"] if len(found) > limit else [])


def axe(page) -> list[str]:
    # Evaluated rather than added as a <script>: the Content-Security-Policy allows no inline script.
    page.evaluate(axe_source())
    findings = []
    for violation in page.evaluate(AXE_RUN_JS, AXE_TAGS):
        where = "; ".join(f"{node['target']} {node['html']!r}" + (f" ({node['summary']})" if node["summary"] else "")
                          for node in violation["nodes"])
        more = f" and {violation['count'] - 3} more" if violation["count"] > 3 else ""
        findings.append(f"axe {violation['id']} ({violation['impact']}): {violation['help']}: {where}{more}")
    return findings
