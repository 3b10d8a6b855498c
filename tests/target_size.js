/* WCAG 2.2 success criterion 2.5.8, Target Size (Minimum), measured in the page as it is laid out.
   Evaluated by tests/test_quality_bars.py; returns the targets that fail, described for a person.

   A target (a link, button, form field, summary, or anything else focusable) passes when
   - its box is at least 24 x 24 CSS px; or
   - spacing: a 24 px circle centred on its box meets no other target, and no such circle of another
     undersized target; or
   - inline: it is a link in a sentence, whose height the line of text around it sets (display inline,
     with words or numbers of other text beside it in the same line box, not only separators).
   The criterion's other exceptions (equivalent control, user-agent control, essential) are judgements
   this check does not make: nothing here relies on them. */
() => {
  const TARGETS = [
    "a[href]", "area[href]", "button", "input:not([type=hidden])", "select", "textarea", "summary",
    "[role=button]", "[role=link]", "[role=checkbox]", "[role=tab]", "[role=menuitem]",
    "[tabindex]:not([tabindex='-1'])",
  ].join(", ");
  const MIN = 24;
  const WORDS = /[\p{L}\p{N}]/u;

  function clippedAway(el) {  /* the visually-hidden pattern: clip: rect(0 0 0 0) on it or an ancestor */
    for (let node = el; node && node !== document.body; node = node.parentElement) {
      if (getComputedStyle(node).clip !== "auto") return true;
    }
    return false;
  }

  const targets = [];
  for (const el of document.querySelectorAll(TARGETS)) {
    if (!el.checkVisibility({ visibilityProperty: true, contentVisibilityAuto: false })) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if (box.right + scrollX <= 0 || box.bottom + scrollY <= 0) continue;  /* parked off the page: a skip link */
    if (clippedAway(el)) continue;
    targets.push({ el, box, small: box.width < MIN - 0.01 || box.height < MIN - 0.01 });
  }

  /* The text sharing the target's line boxes: its block container's inline content, less every target. */
  function lineText(node) {
    let text = "";
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) text += child.textContent;
      else if (child.nodeType === Node.ELEMENT_NODE && !child.matches(TARGETS)
               && getComputedStyle(child).display.startsWith("inline")) text += lineText(child);
    }
    return text;
  }
  function inSentence(el) {
    if (getComputedStyle(el).display !== "inline") return false;
    let block = el.parentElement;
    while (block && getComputedStyle(block).display.startsWith("inline")) block = block.parentElement;
    return block !== null && WORDS.test(lineText(block));
  }

  const centre = (b) => [b.left + b.width / 2, b.top + b.height / 2];
  function circleMeetsBox([x, y], b) {
    const dx = Math.max(b.left - x, 0, x - b.right);
    const dy = Math.max(b.top - y, 0, y - b.bottom);
    return dx * dx + dy * dy < (MIN / 2) ** 2;
  }
  const describe = (el) => {
    const name = (el.getAttribute("aria-label") || el.textContent || "").trim().replace(/\s+/g, " ").slice(0, 40);
    const where = (el.getAttribute("href") || el.className || "").slice(0, 60);
    return `<${el.tagName.toLowerCase()}> "${name}" ${where}`.trim();
  };
  const round = (n) => Math.round(n * 10) / 10;

  const failures = [];
  for (const t of targets) {
    if (!t.small || inSentence(t.el)) continue;
    const c = centre(t.box);
    const crowding = targets.filter((o) => o !== t && !o.el.contains(t.el) && !t.el.contains(o.el) && (
      circleMeetsBox(c, o.box) || (o.small && Math.hypot(c[0] - centre(o.box)[0], c[1] - centre(o.box)[1]) < MIN)));
    if (crowding.length) {
      failures.push(`${describe(t.el)}: ${round(t.box.width)} x ${round(t.box.height)} px, ` +
                    `too close to ${crowding.map((o) => describe(o.el)).join(", ")}`);
    }
  }
  return failures;
}
