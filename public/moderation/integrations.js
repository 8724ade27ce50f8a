// Integrations (admins): Akismet- and Perspective-compatible API keys, webhook endpoints and their delivery log, and the
// integration settings. Every moderator: the e-mail opt-in in the account bar.
import { api, get, post, put } from './api.js';
import { el } from './dom.js';

const $ = (id) => document.getElementById(id);
const del = (path) => api('DELETE', path);
const EVENTS = ['comment.published', 'comment.unpublished', 'comment.held', 'comment.spam'];

/** The account bar's "E-mail me about held comments" box, for every moderator. */
export async function initNotifyToggle() {
  const box = $('notify-held');
  if (!box) return;
  try {
    box.checked = (await get('/api/moderation/me/notifications')).heldComments;
  } catch {
    return;
  }
  box.onchange = async () => {
    try {
      box.checked = (await put('/api/moderation/me/notifications', { heldComments: box.checked })).heldComments;
    } catch {
      box.checked = !box.checked;
    }
  };
}

/** Fills the admin page's integrations section. */
export async function openIntegrations(announce) {
  await Promise.all([renderKeys(), renderPerspectiveKeys(), renderHooks(), renderSettings()]);

  keyForm({
    form: 'akismet-key-form',
    status: 'akismet-key-status',
    path: '/api/moderation/akismet-keys',
    body: (f) => ({ blog: f.blog.value.trim() }),
    shown: ({ blog }) => ['New key for ', blog, ' (shown once): '],
    announced: 'Akismet key created.',
    render: renderKeys,
    announce,
  });
  keyForm({
    form: 'perspective-key-form',
    status: 'perspective-key-status',
    path: '/api/moderation/perspective-keys',
    body: (f) => ({ label: f.label.value.trim() }),
    shown: () => ['New Perspective key (shown once): '],
    announced: 'Perspective key created.',
    render: renderPerspectiveKeys,
    announce,
  });

  $('webhook-form').onsubmit = async (e) => {
    e.preventDefault();
    const f = e.currentTarget.elements;
    const events = EVENTS.filter((name) => f[name]?.checked);
    try {
      const made = await post('/api/moderation/webhooks', { url: f.url.value.trim(), events });
      $('webhook-status').replaceChildren('Registered. Signing secret (shown once): ', el('code', {}, made.secret));
      announce('Webhook registered.');
      await renderHooks();
    } catch (err) {
      $('webhook-status').textContent = `Not registered. ${err.fields?.map((x) => x.message).join(' ') || err.message}`;
    }
  };

  $('integration-settings-form').onsubmit = async (e) => {
    e.preventDefault();
    const f = e.currentTarget.elements;
    try {
      await put('/api/moderation/integrations/settings', { webhooksAllowPrivate: f.webhooksAllowPrivate.checked, mailDigestMinutes: Number(f.mailDigestMinutes.value) });
      $('integration-settings-status').textContent = 'Saved.';
    } catch (err) {
      $('integration-settings-status').textContent = `Not saved. ${err.fields?.map((x) => x.message).join(' ') || err.message}`;
    }
  };
}

/** A form that creates an API key: the key is shown once in the status line, then the list is redrawn. */
function keyForm({ form, status, path, body, shown, announced, render, announce }) {
  $(form).onsubmit = async (e) => {
    e.preventDefault();
    const target = e.currentTarget;
    const sent = body(target.elements);
    try {
      const made = await post(path, sent);
      $(status).replaceChildren(...shown(sent), el('code', {}, made.key));
      announce(announced);
      target.reset();
      await render();
    } catch (err) {
      $(status).textContent = `Not created. ${err.fields?.map((f) => f.message).join(' ') || err.message}`;
    }
  };
}

async function renderKeys() {
  const { keys } = await get('/api/moderation/akismet-keys');
  $('akismet-keys').replaceChildren(
    ...keys.map((k) =>
      el(
        'li',
        {},
        `${k.blog} — created ${new Date(k.createdAt).toLocaleString()} by ${k.createdBy}`,
        k.revokedAt
          ? ` — revoked ${new Date(k.revokedAt).toLocaleString()}`
          : [' ', el('button', { type: 'button', class: 'danger', onclick: async () => confirm(`Revoke the key for ${k.blog}? Its site stops getting answers at once.`) && (await del(`/api/moderation/akismet-keys/${k.id}`), renderKeys()) }, 'Revoke')],
      ),
    ),
  );
}

async function renderPerspectiveKeys() {
  const { keys } = await get('/api/moderation/perspective-keys');
  const revoke = async (k) => {
    if (!confirm(`Revoke the key ${k.keyHint}…${k.label ? ` (${k.label})` : ''}? Its clients get 403 within seconds.`)) return;
    const takeBack = confirm('Also take back every lesson this key taught through comments:suggestscore?');
    await del(`/api/moderation/perspective-keys/${k.id}${takeBack ? '?takeBackLessons=1' : ''}`);
    await renderPerspectiveKeys();
  };
  $('perspective-keys').replaceChildren(
    ...keys.map((k) =>
      el(
        'li',
        {},
        `${k.keyHint}…${k.label ? ` ${k.label}` : ''} — created ${new Date(k.createdAt).toLocaleString()}`,
        k.revokedAt ? ` — revoked ${new Date(k.revokedAt).toLocaleString()}` : [' ', el('button', { type: 'button', class: 'danger', onclick: () => revoke(k) }, 'Revoke')],
      ),
    ),
  );
}

async function renderHooks() {
  const { endpoints } = await get('/api/moderation/webhooks');
  $('webhooks').replaceChildren(
    ...endpoints.map((w) => {
      const log = el('div', { class: 'hint' });
      const showLog = async () => {
        const { deliveries } = await get(`/api/moderation/webhooks/${w.id}/deliveries`);
        log.replaceChildren(
          deliveries.length
            ? el('ul', {}, deliveries.slice(0, 20).map((d) => el('li', {}, `${new Date(d.updatedAt).toLocaleString()} ${d.event} ${d.status} after ${d.attempts} attempt(s)${d.responseCode ? `, HTTP ${d.responseCode}` : ''}${d.error ? ` — ${d.error}` : ''}`)))
            : 'No deliveries yet.',
        );
      };
      return el(
        'li',
        {},
        `${w.url} — ${w.events.join(', ')}${w.disabledAt ? ' — disabled' : ''} `,
        el('button', { type: 'button', onclick: showLog }, 'Delivery log'),
        w.disabledAt ? null : el('button', { type: 'button', class: 'danger', onclick: async () => confirm(`Stop sending to ${w.url}?`) && (await del(`/api/moderation/webhooks/${w.id}`), renderHooks()) }, 'Disable'),
        log,
      );
    }),
  );
}

async function renderSettings() {
  const { settings } = await get('/api/moderation/integrations/settings');
  const f = $('integration-settings-form').elements;
  f.webhooksAllowPrivate.checked = settings.webhooksAllowPrivate;
  f.mailDigestMinutes.value = settings.mailDigestMinutes;
}
