// The review queue: sign-in, tabs with live counts, keyboard-driven actions, undo, live updates (SSE).
import { api, get, post, whenSignedOut } from './api.js';
import { el, formatTime, highlighted, matchedTexts, plural } from './dom.js';
import { openAdmin } from './admin.js';
import { openArticles, reportAndPickParts, showSurge, toggleFeature } from './articles.js';
import { initNotifyToggle } from './integrations.js';

const STATUSES = [
  ['pending', 'Pending'],
  ['approved', 'Approved'],
  ['spam', 'Spam'],
  ['rejected', 'Rejected'],
  ['trash', 'Trash'],
  // Readers' queues (issue 24): published comments readers reported, and those no person has seen.
  ['reported', 'Reported'],
  ['unmoderated', 'Unmoderated'],
];
/** Tabs that are queues of published comments rather than a status (the API's `queue=`). */
const QUEUES = new Set(['reported', 'unmoderated']);

/** Buttons per status: [action, label, shortcut]. */
const ACTIONS_BY_STATUS = {
  pending: [['approve', 'Approve', 'a'], ['spam', 'Spam', 's'], ['trash', 'Trash', 'd'], ['abusive', 'Hold as abusive', 'h']],
  approved: [['unapprove', 'Unapprove', 'u'], ['spam', 'Spam', 's'], ['trash', 'Trash', 'd'], ['abusive', 'Hold as abusive', 'h']],
  spam: [['not-spam', 'Not spam', 'n'], ['restore', 'Restore', null], ['trash', 'Trash', 'd']],
  rejected: [['approve', 'Approve', 'a'], ['spam', 'Spam', 's'], ['trash', 'Trash', 'd']],
  trash: [['restore', 'Restore', null], ['approve', 'Approve', 'a'], ['spam', 'Spam', 's']],
  reported: [['approve', 'Keep (dismiss reports)', 'a'], ['unapprove', 'Hold', 'u'], ['spam', 'Spam', 's'], ['trash', 'Trash', 'd']],
  unmoderated: [['unapprove', 'Unapprove', 'u'], ['spam', 'Spam', 's'], ['trash', 'Trash', 'd']],
};
/** A row's actions: the tab's for the readers' queues (a reported comment held after reports can still be kept), else its status's. */
const actionsFor = (c) => (QUEUES.has(state.status) ? ACTIONS_BY_STATUS[state.status].filter(([a]) => !(c.status === 'pending' && a === 'unapprove')) : ACTIONS_BY_STATUS[c.status] || []);
/** What each tab's comments are, shown under the tabs. */
const TAB_DESCRIPTIONS = {
  pending: 'Held for a moderator: readers do not see these until you approve them.',
  approved: 'Published: readers see these under the article.',
  spam: 'Binned as spam, by the checks or by a moderator: readers never see them. "Not spam" publishes one.',
  rejected: 'Refused by the checks (for example a required field missing or a reply to a closed thread): never published, and the writer was told.',
  trash: 'Removed by a moderator: not published. "Restore" puts one back where it was.',
  reported: 'Published comments readers reported, most reported first. "Keep" dismisses the reports; hold, spam or trash unpublishes.',
  unmoderated: 'Published by the checks alone: no moderator has looked at these yet.',
};
const PAST = { approve: 'Approved', unapprove: 'Unapproved', spam: 'Marked as spam', 'not-spam': 'Marked as not spam', trash: 'Trashed', restore: 'Restored', abusive: 'Held as abusive' };

const $ = (id) => document.getElementById(id);
const state = {
  me: null,
  status: 'pending',
  filters: {},
  items: [],
  cursor: null,
  current: 0,
  selected: new Set(),
  counts: {},
  undo: null,
  pendingNew: 0,
  events: null,
};

function announce(text) {
  const region = $('announcer');
  region.textContent = '';
  setTimeout(() => {
    region.textContent = text;
  }, 30);
}

const TOAST_MS = 8000;
let toastTimer = null;

/** Says what just happened, to sighted moderators too: a toast for a few seconds, with Undo when it can be undone. */
function notify(text, { undoable = false, spoken = text } = {}) {
  announce(spoken);
  $('toast-text').textContent = text;
  $('toast-undo').hidden = !undoable;
  $('toast').hidden = false;
  restartToastTimer();
}

function restartToastTimer() {
  clearTimeout(toastTimer);
  toastTimer = setTimeout(hideToast, TOAST_MS);
}

function hideToast() {
  clearTimeout(toastTimer);
  $('toast').hidden = true;
}

// The toast stays while the pointer or focus is on it, so its Undo button never vanishes under a click.
$('toast').addEventListener('mouseenter', () => clearTimeout(toastTimer));
$('toast').addEventListener('focusin', () => clearTimeout(toastTimer));
$('toast').addEventListener('mouseleave', restartToastTimer);
$('toast-undo').addEventListener('click', () => {
  hideToast();
  undo();
});
$('toast-close').addEventListener('click', hideToast);

// ---- sign-in -----------------------------------------------------------------------------------

function showSignIn() {
  state.me = null;
  $('signin-next').hidden = !new URLSearchParams(location.search).get('next');
  state.events?.close();
  $('account').hidden = true;
  $('review').hidden = true;
  $('admin').hidden = true;
  $('signin').hidden = false;
  $('signin-email').focus();
}

async function showApp(me) {
  state.me = me;
  $('signin').hidden = true;
  $('account').hidden = false;
  $('who').textContent = `${me.name || me.email} (${me.role})`;
  const isAdmin = me.role === 'admin';
  $('show-admin').hidden = !isAdmin;
  $('dashboard-link').hidden = !isAdmin;
  void initNotifyToggle();
  showQueue();
  connectEvents();
}

function showQueue() {
  $('admin').hidden = true;
  $('articles').hidden = true;
  $('show-queue').hidden = true;
  $('show-admin').hidden = state.me?.role !== 'admin';
  $('review').hidden = false;
  renderTabs();
  loadQueue();
}

$('signin-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  $('signin-error').textContent = '';
  try {
    const { moderator } = await post('/api/moderation/login', { email: form.email.value, password: form.password.value });
    form.password.value = '';
    // Sent here from an admin page (the job dashboard) while signed out: back there.
    const next = new URLSearchParams(location.search).get('next');
    if (next && moderator.role === 'admin' && /^\/admin\/[^\\]*$/.test(next) && !next.startsWith('//')) {
      location.assign(next);
      return;
    }
    await showApp(moderator);
  } catch (err) {
    $('signin-error').textContent = err.fields?.length ? err.fields.map((f) => f.message).join(' ') : err.message;
  }
});

$('logout').addEventListener('click', async () => {
  await post('/api/moderation/logout').catch(() => undefined);
  showSignIn();
});

$('show-admin').addEventListener('click', () => {
  hideToast();
  $('review').hidden = true;
  $('articles').hidden = true;
  $('show-admin').hidden = true;
  $('show-queue').hidden = false;
  openAdmin(announce);
});
$('show-queue').addEventListener('click', showQueue);
$('help-button').addEventListener('click', () => $('help').showModal());

whenSignedOut(showSignIn);

// ---- tabs, list and rows -----------------------------------------------------------------------

function renderTabs() {
  const tabs = $('tabs');
  tabs.replaceChildren(
    ...STATUSES.map(([status, label], i) =>
      el(
        'button',
        {
          type: 'button',
          role: 'tab',
          id: `tab-${status}`,
          'aria-selected': String(status === state.status),
          'aria-controls': 'panel',
          tabindex: status === state.status ? '0' : '-1',
          onclick: () => switchTab(status),
          onkeydown: (e) => {
            if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
              e.preventDefault();
              const next = STATUSES[(i + (e.key === 'ArrowRight' ? 1 : STATUSES.length - 1)) % STATUSES.length][0];
              switchTab(next);
              $(`tab-${next}`).focus();
            }
          },
        },
        label,
        ' ',
        el('span', { class: 'count', 'aria-label': plural(state.counts[status] ?? 0, 'comment') }, String(state.counts[status] ?? '…')),
      ),
    ),
  );
  $('panel').setAttribute('aria-labelledby', `tab-${state.status}`);
  $('tab-description').textContent = TAB_DESCRIPTIONS[state.status];
  $('panel').setAttribute('aria-describedby', 'tab-description');
}

function switchTab(status) {
  if (status === state.status) return;
  state.status = status;
  state.selected.clear();
  renderTabs();
  loadQueue();
}

function queueUrl(cursor) {
  const params = new URLSearchParams(QUEUES.has(state.status) ? { queue: state.status, limit: '50' } : { status: state.status, limit: '25' });
  for (const [k, v] of Object.entries(state.filters)) if (v) params.set(k, v);
  if (cursor) params.set('cursor', cursor);
  return `/api/moderation/comments?${params}`;
}

let loadSeq = 0;

async function loadQueue(append = false) {
  const feed = $('queue');
  feed.setAttribute('aria-busy', 'true');
  // Only the latest request's answer is shown: an older one (say, the list before a filter) may arrive last.
  const seq = ++loadSeq;
  try {
    const page = await get(queueUrl(append ? state.cursor : null));
    if (seq !== loadSeq) return;
    state.items = append ? [...state.items, ...page.items] : page.items;
    state.cursor = page.nextCursor;
    if (!append) {
      state.current = 0;
      state.pendingNew = 0;
    }
    setCounts({ ...page.counts, ...page.queues });
    renderList();
  } finally {
    if (seq === loadSeq) feed.setAttribute('aria-busy', 'false');
  }
}

function setCounts(counts) {
  state.counts = counts;
  for (const [status] of STATUSES) {
    const span = document.querySelector(`#tab-${status} .count`);
    if (span) {
      span.textContent = String(counts[status] ?? 0);
      span.setAttribute('aria-label', plural(counts[status] ?? 0, 'comment'));
    }
  }
}

let countsTimer = null;
function refreshCounts() {
  clearTimeout(countsTimer);
  countsTimer = setTimeout(async () => {
    const { counts, queues } = await get('/api/moderation/counts').catch(() => ({ counts: state.counts }));
    setCounts({ ...counts, ...queues });
  }, 150);
}

function renderList() {
  const feed = $('queue');
  const label = STATUSES.find(([s]) => s === state.status)[1];
  feed.setAttribute('aria-label', `${label} comments`);
  feed.replaceChildren(...state.items.map((c, i) => renderRow(c, i)));
  $('empty').hidden = state.items.length > 0;
  renderEmptyState();
  $('more').hidden = !state.cursor;
  $('new-banner').hidden = state.pendingNew === 0;
  updateSelection();
  highlightCurrent(false);
}

/** Filters other than the order: the ones that can hide comments. */
function activeFilters() {
  return Object.entries(state.filters).filter(([k, v]) => k !== 'sort' && v);
}

function renderEmptyState() {
  const active = activeFilters();
  $('filters').classList.toggle('active', active.length > 0);
  $('clear-filters').hidden = active.length === 0;
  $('empty-text').textContent = active.length
    ? `No comments in this tab match the filter (${active.map(([k, v]) => `${FILTER_NAMES[k] ?? k}: “${v}”`).join(', ')}): it hides every other comment. Clear it to see them all.`
    : 'Nothing here. New comments appear on their own.';
}

const FILTER_NAMES = { q: 'search', article: 'article', email: 'email or name', ip: 'IP', held: 'held by' };

function renderRow(c, index) {
  const idBase = `c-${c.id}`;
  const reasons = (c.verdicts || []).filter((v) => v.verdict !== 'pass' || v.score > 0);
  const row = el(
    'article',
    {
      class: 'comment',
      id: idBase,
      tabindex: '-1',
      'aria-posinset': index + 1,
      'aria-setsize': state.cursor ? -1 : state.items.length,
      'aria-labelledby': `${idBase}-author`,
      'aria-describedby': `${idBase}-body`,
      dataset: { id: c.id },
      // Focus and "current" stay one: tabbing to a comment makes it the one the shortcuts act on.
      onfocus: () => {
        state.current = state.items.findIndex((x) => x.id === c.id);
        highlightCurrent(false);
      },
      onclick: (e) => {
        if (e.target.closest('button, input, a')) return;
        state.current = state.items.findIndex((x) => x.id === c.id);
        highlightCurrent(true);
      },
    },
    el(
      'div',
      { class: 'meta' },
      el('input', {
        type: 'checkbox',
        class: 'select',
        'aria-label': `Select comment by ${c.authorName}`,
        checked: state.selected.has(c.id),
        onchange: (e) => toggleSelect(c.id, e.target.checked),
      }),
      el('strong', { id: `${idBase}-author`, class: 'author' }, c.authorName),
      el('span', { class: 'email' }, c.authorEmail),
      c.ip ? el('span', { class: 'ip' }, c.ip) : null,
      c.authorUrl ? el('span', { class: 'url' }, c.authorUrl) : null,
      el('span', { class: 'article' }, 'on ', el('span', { class: 'article-id' }, c.articleId)),
      el('time', { datetime: c.submittedAt }, formatTime(c.submittedAt)),
      el('span', { class: `score${c.score >= 5 ? ' high' : ''}`, title: 'Spam score' }, `score ${Number(c.score).toFixed(1)}`),
    ),
    el('p', { class: 'body', id: `${idBase}-body` }, highlighted(c.body, matchedTexts(c.verdicts))),
    reportAndPickParts(c, { onFeature: feature }),
    reasons.length
      ? el('ul', { class: 'reasons', 'aria-label': 'Why it was held' }, reasons.flatMap((v) => reasonItems(v)))
      : el('p', { class: 'reasons none' }, c.status === 'pending' ? 'No check objected: held because every comment is held, or by its score.' : 'No check objected.'),
    el(
      'div',
      { class: 'actions' },
      actionsFor(c).map(([action, label, key]) =>
        el('button', { type: 'button', class: `act-${action}`, onclick: () => act([c.id], action) }, label, key ? el('kbd', {}, key) : null),
      ),
      el('button', { type: 'button', class: 'link', 'aria-expanded': 'false', onclick: (e) => toggleDetail(c, row, e.currentTarget) }, 'Details'),
      c.status !== 'spam'
        ? el('button', { type: 'button', class: 'link', onclick: () => spamAuthor(c) }, 'Spam all from this author')
        : null,
      c.status === 'trash' || c.status === 'spam' ? el('button', { type: 'button', class: 'link danger', onclick: () => deleteForever(c) }, 'Delete permanently') : null,
    ),
    el('div', { class: 'detail', hidden: true }),
  );
  return row;
}

function reasonItems(v) {
  const items = v.reasons.length ? v.reasons : [{ code: v.verdict, message: v.error ? 'The check failed.' : `Verdict: ${v.verdict}` }];
  return items.map((r) =>
    el(
      'li',
      { class: `reason ${v.verdict}${v.mode === 'observe' ? ' observed' : ''}` },
      el('span', { class: 'check' }, v.check),
      ' ',
      r.message,
      v.score ? el('span', { class: 'points' }, ` +${Number(v.score).toFixed(1)}`) : null,
      v.mode === 'observe' ? ' (observed only)' : null,
    ),
  );
}

async function toggleDetail(c, row, button) {
  const box = row.querySelector('.detail');
  const open = box.hidden;
  button.setAttribute('aria-expanded', String(open));
  box.hidden = !open;
  if (!open) return;
  box.replaceChildren(el('p', {}, 'Loading…'));
  const d = await get(`/api/moderation/comments/${c.id}`);
  const counts = (label, byStatus, none) =>
    byStatus
      ? el('p', {}, el('strong', {}, label), ' ', STATUSES.filter(([s]) => !QUEUES.has(s)).map(([s, l]) => `${l} ${byStatus[s]}`).join(' · '))
      : el('p', {}, el('strong', {}, label), ' ', none);
  // replaceChildren prints null as the text "null": every part below is a node.
  box.replaceChildren(
    d.parent
      ? el('blockquote', { class: 'parent' }, el('span', { class: 'label' }, `In reply to ${d.parent.authorName}: `), d.parent.body)
      : el('p', { class: 'parent none' }, c.parentId ? 'A reply to a comment that no longer exists.' : 'Not a reply: a comment on the article.'),
    el('h3', {}, 'Author history'),
    counts('Same email:', d.author.byEmail),
    counts('Same IP:', d.author.byIp, 'no IP address recorded.'),
    d.author.recent.length
      ? el('ul', { class: 'recent' }, d.author.recent.map((r) => el('li', {}, el('span', { class: `badge ${r.status}` }, r.status), ' ', formatTime(r.submittedAt), ' — ', r.body.slice(0, 140))))
      : el('p', {}, 'No other comments from this author.'),
    el('h3', {}, 'Trail'),
    el('ol', { class: 'events' }, d.events.map((e) => el('li', {}, `${formatTime(e.at)}: ${e.from ?? 'new'} → ${e.to} by ${e.actorName ?? e.actor}${e.note ? ` (“${e.note}”)` : ''}`))),
  );
}

// ---- current row, selection, actions, undo -----------------------------------------------------

function rows() {
  return [...document.querySelectorAll('#queue > article')];
}

function highlightCurrent(focus) {
  const all = rows();
  all.forEach((r, i) => r.classList.toggle('current', i === state.current));
  const row = all[state.current];
  if (row && focus) {
    row.focus();
    row.scrollIntoView({ block: 'nearest' });
  }
}

function move(delta) {
  if (!state.items.length) return;
  state.current = Math.max(0, Math.min(state.items.length - 1, state.current + delta));
  highlightCurrent(true);
  if (delta > 0 && state.current === state.items.length - 1 && state.cursor) loadQueue(true);
}

function toggleSelect(id, on) {
  if (on ?? !state.selected.has(id)) state.selected.add(id);
  else state.selected.delete(id);
  const box = document.querySelector(`#c-${CSS.escape(id)} .select`);
  if (box) box.checked = state.selected.has(id);
  updateSelection();
}

function updateSelection() {
  const n = state.selected.size;
  $('selection-count').textContent = n ? `${plural(n, 'comment')} selected` : 'No comments selected';
  for (const b of document.querySelectorAll('[data-bulk]')) b.disabled = n === 0;
}

/** Runs an action on comments of the open tab; removes the ones that moved, remembers it for undo. */
async function act(ids, action, { expected = state.status, isUndo = false } = {}) {
  if (!ids.length) return;
  const before = state.items.filter((c) => ids.includes(c.id));
  let moved = [];
  try {
    if (ids.length === 1) {
      // The readers' queues hold comments of several statuses: each is expected in the one it has.
      const expectedStatus = QUEUES.has(expected) ? before[0]?.status : expected;
      const res = await post(`/api/moderation/comments/${ids[0]}/${action}`, { expectedStatus });
      moved = [{ id: ids[0], from: res.from, to: res.to }];
    } else {
      const res = await post('/api/moderation/bulk', { action, ids, expectedStatus: QUEUES.has(expected) ? undefined : expected });
      moved = res.results.filter((r) => r.ok);
      const failed = res.results.length - moved.length;
      if (failed) announce(`${failed} of ${plural(ids.length, 'comment')} ${failed === 1 ? 'was' : 'were'} already decided by someone else.`);
    }
  } catch (err) {
    if (err.code === 'already_decided') {
      notify(`Someone else already moved this comment: it is ${err.details.currentStatus} now.`);
      removeRows(ids);
    } else notify(err.message);
    return;
  }
  const gone = moved.filter((m) => m.to !== state.status).map((m) => m.id);
  removeRows(gone);
  for (const id of ids) state.selected.delete(id);
  updateSelection();
  refreshCounts();
  if (!isUndo && moved.length) state.undo = { moved, action };
  if (action === 'abusive') markHeldAsAbusive(moved);
  if (!moved.length) return;
  const what = before.length === 1 && moved.length === 1 ? `comment by ${before[0].authorName}` : plural(moved.length, 'comment');
  if (isUndo) notify(`Undone: ${what} back to ${moved[0].to}.`);
  else notify(`${PAST[action]} ${what}.`, { undoable: true, spoken: `${PAST[action]} ${what}. Press z to undo.` });
}

function removeRows(ids) {
  if (!ids.length) return;
  const currentId = state.items[state.current]?.id;
  state.items = state.items.filter((c) => !ids.includes(c.id));
  renderList();
  const stillThere = state.items.findIndex((c) => c.id === currentId);
  state.current = stillThere >= 0 ? stillThere : Math.min(state.current, Math.max(0, state.items.length - 1));
  highlightCurrent(true);
}

/** The action that takes a comment from `to` back to `from`. */
function reverseOf(from, to) {
  if (to === 'trash' || to === 'spam') return 'restore';
  if (to === 'approved' && from === 'pending') return 'unapprove';
  if (to === 'approved' && from === 'spam') return 'spam';
  if (to === 'approved' && from === 'trash') return 'trash';
  if (to === 'pending' && from === 'approved') return 'approve';
  return null;
}

/** "Hold as abusive" on a held comment changes no status: its row stays, marked so the moderator sees it took. */
function markHeldAsAbusive(moved) {
  for (const m of moved) document.querySelector(`#c-${CSS.escape(m.id)}`)?.classList.add('held-abusive');
}

async function undo() {
  const last = state.undo;
  if (!last) return notify('Nothing to undo.');
  state.undo = null;
  // "Hold as abusive" on a comment that was already held: undo takes its lesson back, the comment stays.
  if (last.action === 'abusive') {
    const kept = last.moved.filter((m) => m.from === 'pending');
    for (const m of kept) await api('DELETE', `/api/moderation/comments/${m.id}/abusive`);
    for (const m of kept) document.querySelector(`#c-${CSS.escape(m.id)}`)?.classList.remove('held-abusive');
    last.moved = last.moved.filter((m) => m.from !== 'pending');
    if (!last.moved.length) return notify(`Undone: ${plural(kept.length, 'comment')} no longer taught as abusive.`);
  }
  const groups = new Map();
  for (const m of last.moved) {
    const reverse = reverseOf(m.from, m.to);
    if (!reverse) continue;
    const key = `${reverse}|${m.to}`;
    groups.set(key, [...(groups.get(key) ?? []), m.id]);
  }
  if (!groups.size) return notify('That action cannot be undone here.');
  for (const [key, ids] of groups) {
    const [action, expected] = key.split('|');
    await act(ids, action, { expected, isUndo: true });
  }
  await loadQueue();
}

async function spamAuthor(c) {
  if (!confirm(`Mark every comment from ${c.authorEmail} as spam?`)) return;
  const res = await post('/api/moderation/bulk', { action: 'spam', authorEmail: c.authorEmail });
  notify(`${plural(res.changed, 'comment')} from this author marked as spam.`);
  await loadQueue();
}

async function deleteForever(c) {
  if (!confirm('Delete this comment permanently? This cannot be undone.')) return;
  await api('DELETE', `/api/moderation/comments/${c.id}`, { expectedStatus: c.status });
  removeRows([c.id]);
  refreshCounts();
  notify('Deleted permanently.');
}

for (const button of document.querySelectorAll('[data-bulk]')) {
  button.addEventListener('click', () => act([...state.selected], button.dataset.bulk));
}
$('more').addEventListener('click', () => loadQueue(true));
$('show-new').addEventListener('click', () => loadQueue());
$('filters').addEventListener('submit', (e) => {
  e.preventDefault();
  state.filters = Object.fromEntries(new FormData(e.currentTarget));
  // Straight to the first comment, so the shortcuts work at once.
  loadQueue().then(() => highlightCurrent(true));
});
$('filters').addEventListener('reset', () => {
  state.filters = {};
  setTimeout(() => loadQueue(), 0);
});
$('clear-filters').addEventListener('click', () => {
  $('filters').reset();
  $('filters').querySelector('input')?.focus();
});

/** Makes the comment an editors' pick, or no longer one (key f). */
async function feature(c) {
  try {
    const now = await toggleFeature(c);
    state.items = state.items.map((x) => (x.id === c.id ? now : x));
    renderList();
    notify(now.featuredAt ? `Comment by ${c.authorName} is an editors’ pick.` : `Comment by ${c.authorName} is no longer an editors’ pick.`);
  } catch (err) {
    notify(err.message);
  }
}

$('show-articles').addEventListener('click', () => {
  hideToast();
  openArticles(announce);
});
$('articles-search').addEventListener('submit', (e) => {
  e.preventDefault();
  openArticles(announce, e.currentTarget.q.value.trim());
});
// "Show this article's comments" in the article view: the queue, filtered to that article.
document.addEventListener('cm:article-comments', (e) => {
  state.filters = { ...state.filters, article: e.detail };
  $('filters').article.value = e.detail;
  showQueue();
});

// ---- keyboard ----------------------------------------------------------------------------------

document.addEventListener('keydown', (e) => {
  if (!state.me || $('review').hidden || e.ctrlKey || e.metaKey || e.altKey) return;
  if (e.target.closest('input, textarea, select, [contenteditable]') || $('help').open) return;
  const current = state.items[state.current];
  const single = (action) => current && actionsFor(current).some(([a]) => a === action) && act([current.id], action);
  const handlers = {
    j: () => move(1),
    k: () => move(-1),
    a: () => single('approve'),
    u: () => single('unapprove'),
    s: () => single('spam'),
    n: () => single('not-spam'),
    d: () => single('trash'),
    h: () => single('abusive'),
    f: () => current && current.status === 'approved' && feature(current),
    z: () => undo(),
    x: () => current && toggleSelect(current.id),
    o: () => current && rows()[state.current]?.querySelector('.actions .link')?.click(),
    Enter: () => e.target.matches?.('article') && current && rows()[state.current]?.querySelector('.actions .link')?.click(),
    A: () => act([...state.selected], 'approve'),
    S: () => act([...state.selected], 'spam'),
    D: () => act([...state.selected], 'trash'),
    '?': () => $('help').showModal(),
  };
  const digit = Number(e.key);
  if (digit >= 1 && digit <= STATUSES.length) {
    e.preventDefault();
    switchTab(STATUSES[digit - 1][0]);
    return;
  }
  const handler = handlers[e.key];
  if (handler) {
    e.preventDefault();
    handler();
  }
});

// ---- live updates ------------------------------------------------------------------------------

function connectEvents() {
  state.events?.close();
  const source = new EventSource('/api/moderation/events');
  state.events = source;
  source.addEventListener('review', (message) => {
    const event = JSON.parse(message.data);
    refreshCounts();
    if (event.type === 'surge') showSurge(event, announce);
    if (event.type === 'stored' && event.status === state.status) onNewComment(event.commentId, event.articleId);
    if (event.type === 'changed') {
      const mine = new Set(state.items.map((c) => c.id));
      const affected = event.commentIds.filter((id) => mine.has(id));
      if (affected.length && event.to !== state.status && event.to !== 'edited') {
        removeRows(affected);
        announce(`${affected.length === 1 ? 'A comment' : plural(affected.length, 'comment')} in this list ${event.to === 'deleted' ? 'was deleted' : `moved to ${event.to}`}.`);
      }
    }
  });
}

async function onNewComment(id, articleId) {
  const { article, sort, ...others } = state.filters;
  if (state.items.some((c) => c.id === id) || (article && !articleId.startsWith(article))) return;
  if (Object.values(others).some(Boolean) || state.cursor || sort === 'score') {
    state.pendingNew += 1;
    $('show-new').textContent = `${state.pendingNew} new — show`;
    $('new-banner').hidden = false;
    return;
  }
  const { comment } = await get(`/api/moderation/comments/${id}`);
  if (comment.status !== state.status) return;
  // In its place by submission time (oldest or newest first), keeping the current row current.
  const currentId = state.items[state.current]?.id;
  const newestFirst = sort === 'newest';
  const at = state.items.findIndex((c) => (newestFirst ? c.submittedAt < comment.submittedAt : c.submittedAt > comment.submittedAt));
  state.items.splice(at < 0 ? state.items.length : at, 0, comment);
  state.current = Math.max(0, state.items.findIndex((c) => c.id === currentId));
  renderList();
  announce(`New ${comment.status} comment from ${comment.authorName}.`);
}

// ---- start ---------------------------------------------------------------------------------------

get('/api/moderation/me').then(
  ({ moderator }) => showApp(moderator),
  () => showSignIn(),
);
