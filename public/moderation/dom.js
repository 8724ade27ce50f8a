// DOM helpers. Comment data only ever reaches the page as text nodes (textContent), never as HTML.

/** Creates an element: el('p', { class: 'x', 'aria-label': '…' }, 'text', child, …). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (key === 'class') node.className = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"']+|\bwww\.[^\s<>"']+/gi;

/** The texts the checks matched in the body, from the reasons' `match` fields. */
export function matchedTexts(verdicts) {
  const out = new Set();
  for (const v of verdicts || []) {
    for (const r of v.reasons || []) {
      if (!r.match || (r.field && r.field !== 'body')) continue;
      const parts = v.check === 'classifier' || v.check === 'civility' ? r.match.split(', ') : [r.match];
      for (const part of parts) {
        // Classifier feature names such as "shape:stretched" describe the text, they are not in it.
        if (part.length >= 2 && !/^[a-z]+:/.test(part)) out.add(part);
      }
    }
  }
  return [...out];
}

/**
 * The body as nodes, with matched words and links wrapped in <mark>: ranges are found on the plain
 * text, merged, and every piece is added as a text node.
 */
export function highlighted(text, needles) {
  const ranges = [];
  const lower = text.toLowerCase();
  for (const needle of needles) {
    const n = needle.toLowerCase();
    for (let at = lower.indexOf(n); at >= 0 && n; at = lower.indexOf(n, at + n.length)) ranges.push([at, at + n.length, 'match']);
  }
  for (const m of text.matchAll(URL_PATTERN)) ranges.push([m.index, m.index + m[0].length, 'link']);
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] < last[1]) {
      last[1] = Math.max(last[1], r[1]);
      if (r[2] === 'link') last[2] = 'link';
    } else merged.push([...r]);
  }
  const nodes = [];
  let pos = 0;
  for (const [start, end, kind] of merged) {
    if (start > pos) nodes.push(document.createTextNode(text.slice(pos, start)));
    nodes.push(el('mark', { class: kind, title: kind === 'link' ? 'Link' : 'Matched by a check' }, text.slice(start, end)));
    pos = end;
  }
  if (pos < text.length) nodes.push(document.createTextNode(text.slice(pos)));
  return nodes;
}

export function formatTime(iso) {
  const d = new Date(iso);
  return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** "1 comment", "2 comments": a count with its noun. */
export function plural(n, one, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}
