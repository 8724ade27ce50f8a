// Articles for moderators (issue 24): the list with counts and surges, one article's settings and surge
// state, editors' picks and readers' reports on a comment row, the live surge banner.
import { api, get } from './api.js';
import { el, formatTime, plural } from './dom.js';

const $ = (id) => document.getElementById(id);
const PREMODERATE = [['off', 'No'], ['all', 'Every comment'], ['links', 'Comments with links']];
const REASON_NAMES = { spam: 'spam', abusive: 'abusive', off_topic: 'off topic', other: 'other' };

const time = (iso) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/** The live banner: "Surge on Budget 2026: new comments are held until 15:40". */
export function showSurge(event, announce) {
  const name = event.title || event.articleId;
  const text = event.state === 'started'
    ? `Surge on ${name}: new comments are held until ${time(event.until)}.`
    : `The surge on ${name} was ended: new comments are published again.`;
  const banner = $('surge-banner');
  banner.replaceChildren(
    el('span', {}, text),
    ' ',
    el('button', { type: 'button', class: 'link', onclick: () => openArticle(event.articleId, announce) }, 'Open the article'),
    el('button', { type: 'button', class: 'link', 'aria-label': 'Dismiss', onclick: () => { banner.hidden = true; } }, '×'),
  );
  banner.hidden = false;
  announce(text);
}

/** What a row shows of readers' reports and editors' picks, and the pick toggle. */
export function reportAndPickParts(c, { onFeature }) {
  const parts = [];
  if (c.reports) {
    const reasons = Object.entries(c.reports.reasons).map(([r, n]) => `${REASON_NAMES[r] ?? r} ×${n}`).join(', ');
    parts.push(
      el(
        'div',
        { class: 'reports', 'aria-label': 'Readers’ reports' },
        el('p', {}, el('strong', {}, plural(c.reports.count, 'report')), ` (weight ${c.reports.weight}): ${reasons}`),
        c.reports.notes.length ? el('ul', {}, c.reports.notes.map((n) => el('li', {}, `${REASON_NAMES[n.reason] ?? n.reason}: `, el('q', {}, n.note)))) : null,
      ),
    );
  }
  if (c.status === 'approved') {
    parts.push(
      el(
        'button',
        { type: 'button', class: `link feature${c.featuredAt ? ' on' : ''}`, 'aria-pressed': String(!!c.featuredAt), onclick: () => onFeature(c) },
        c.featuredAt ? 'Editors’ pick ★' : 'Make an editors’ pick',
        el('kbd', {}, 'f'),
      ),
    );
  }
  return parts;
}

/** Makes `c` an editors' pick or no longer one; answers the comment as it is now. */
export async function toggleFeature(c) {
  const res = await api(c.featuredAt ? 'DELETE' : 'POST', `/api/moderation/comments/${c.id}/feature`, {});
  return { ...c, featuredAt: res.comment.featuredAt ?? null };
}

/** The articles list: counts by status, open reports, surge state; newest activity first. */
export async function openArticles(announce, query = '') {
  showSection();
  const box = $('articles-list');
  const { articles } = await get(`/api/moderation/articles?limit=100${query ? `&q=${encodeURIComponent(query)}` : ''}`);
  box.replaceChildren(
    articles.length
      ? el(
          'table',
          { class: 'articles' },
          el('thead', {}, el('tr', {}, ['Article', 'Pending', 'Published', 'Reports', 'Settings', 'Last comment'].map((h) => el('th', { scope: 'col' }, h)))),
          el(
            'tbody',
            {},
            articles.map((a) =>
              el(
                'tr',
                {},
                el('td', {}, el('button', { type: 'button', class: 'link', onclick: () => openArticle(a.id, announce) }, a.title || a.id)),
                el('td', {}, String(a.counts.pending ?? 0)),
                el('td', {}, String(a.counts.approved ?? 0)),
                el('td', {}, String(a.openReports)),
                el('td', {}, settingsSummary(a)),
                el('td', {}, a.lastCommentAt ? formatTime(a.lastCommentAt) : '—'),
              ),
            ),
          ),
        )
      : el('p', { class: 'empty' }, 'No articles yet: one appears with its first comment, or when the CMS sets its settings.'),
  );
  $('article-view').hidden = true;
}

function settingsSummary(a) {
  const bits = [];
  if (a.reader.closed) bits.push(a.reader.closedBy === 'age' ? 'closed (age)' : 'closed');
  if (a.premoderate !== 'off') bits.push(`pre-moderates ${a.premoderate === 'all' ? 'all' : 'links'}`);
  if (a.surge.active) bits.push(`surge until ${time(a.surge.until)}`);
  return bits.join(', ') || 'open';
}

function showSection() {
  for (const id of ['review', 'admin']) $(id).hidden = true;
  $('articles').hidden = false;
  $('show-queue').hidden = false;
}

/** One article: its settings (a form), its surge state with "End the surge", and a way to its comments. */
export async function openArticle(id, announce) {
  showSection();
  const view = $('article-view');
  const { article: a, surges } = await get(`/api/moderation/articles/${encodeURIComponent(id)}`);
  const form = el(
    'form',
    { class: 'article-settings', 'aria-label': 'Article settings' },
    el('label', {}, 'Title ', el('input', { name: 'title', value: a.title ?? '' })),
    el('label', {}, 'Address ', el('input', { name: 'url', type: 'url', value: a.url ?? '' })),
    el('label', {}, el('input', { name: 'closed', type: 'checkbox', checked: a.closed }), ' Comments closed'),
    el('label', {}, 'Pre-moderate ', el('select', { name: 'premoderate' }, PREMODERATE.map(([v, l]) => el('option', { value: v, selected: v === a.premoderate }, l)))),
    el('label', {}, 'Close after (days, empty: the site default) ', el('input', { name: 'closeAfterDays', type: 'number', min: '0', value: a.closeAfterDays ?? '' })),
    el('label', { class: 'wide' }, 'Message above the form ', el('textarea', { name: 'message', rows: '2', maxlength: '1000' }, a.message ?? '')),
    el('button', { type: 'submit' }, 'Save'),
    el('p', { class: 'status', role: 'status', id: 'article-status' }),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const f = e.currentTarget;
    const body = {
      title: f.title.value.trim() || null,
      url: f.url.value.trim() || null,
      closed: f.closed.checked,
      premoderate: f.premoderate.value,
      closeAfterDays: f.closeAfterDays.value === '' ? null : Number(f.closeAfterDays.value),
      message: f.message.value.trim() || null,
    };
    try {
      await api('PUT', `/api/moderation/articles/${encodeURIComponent(id)}`, body);
      $('article-status').textContent = 'Saved.';
      announce('Article settings saved.');
    } catch (err) {
      $('article-status').textContent = err.fields?.length ? err.fields.map((x) => `${x.field}: ${x.message}`).join(' ') : err.message;
    }
  });
  const surge = a.surge.active
    ? el(
        'p',
        { class: 'surge on', role: 'status' },
        `Surge: new comments are held until ${time(a.surge.until)}. `,
        el('button', { type: 'button', onclick: async () => {
          await api('DELETE', `/api/moderation/articles/${encodeURIComponent(id)}/surge`);
          announce('Surge ended.');
          openArticle(id, announce);
        } }, 'End the surge now'),
      )
    : el('p', { class: 'surge' }, 'No surge: comments are moderated as usual.');
  view.replaceChildren(
    el('h3', {}, a.title || a.id),
    el('p', { class: 'hint' }, `Id ${a.id}. ${a.reader.closed ? 'Readers see “Comments are closed”.' : a.reader.closesAt ? `Comments close ${formatTime(a.reader.closesAt)}.` : 'Open to comments.'}`),
    surge,
    form,
    surges.length
      ? el('details', {}, el('summary', {}, `Surges (${surges.length})`), el('ul', {}, surges.map((s) => el('li', {}, `${formatTime(s.startedAt)} until ${formatTime(s.until)}: ${s.reason}${s.endedAt ? ` (ended early ${formatTime(s.endedAt)})` : ''}`))))
      : null,
    el('button', { type: 'button', onclick: () => document.dispatchEvent(new CustomEvent('cm:article-comments', { detail: id })) }, 'Show this article’s comments'),
  );
  view.hidden = false;
  view.querySelector('h3').setAttribute('tabindex', '-1');
  view.querySelector('h3').focus();
}


