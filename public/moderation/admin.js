// Admin tools: every moderation setting (validated by the API), the rule tester, privacy requests.
import { get, post, put } from './api.js';
import { el, plural } from './dom.js';

const $ = (id) => document.getElementById(id);

/** How each setting is edited; the API's validation is the authority, these only shape the form. */
const FIELDS = [
  ['holdAll', 'Hold every comment for a moderator', 'bool'],
  ['spamThreshold', 'Spam at this many points', 'number'],
  ['holdThreshold', 'Hold for review at this many points', 'number'],
  ['commentMaxLinks', 'Hold comments with this many links or more', 'number'],
  ['moderationKeys', 'Hold comments containing (one per line; "re:" regular expression, "sub:" part of a word)', 'words'],
  ['disallowedKeys', 'Treat as spam comments containing (same format)', 'words'],
  ['disallowedAction', 'Disallowed words send comments to', 'choice', ['spam', 'trash']],
  ['previouslyApproved', 'Approve authors with an approved comment before', 'bool'],
  ['minSubmitSeconds', 'Seconds a person needs at least to write a comment', 'number'],
  ['formTokenMaxAgeSeconds', 'Form tokens expire after (seconds)', 'number'],
  ['missingTokenScore', 'Points for a comment without a form token', 'number'],
  ['floodSeconds', 'One comment per IP or email every (seconds)', 'number'],
  ['hourlyLimitPerIp', 'Comments per IP per hour', 'number'],
  ['checkModes', 'Checks only observed (one per line: check=observe)', 'modes'],
];

let loaded = null;

function wordsToText(list) {
  return (list || []).map((e) => (e.kind === 'regex' ? `re:${e.pattern}` : e.kind === 'substring' ? `sub:${e.pattern}` : e.pattern)).join('\n');
}

function textToWords(text) {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => (l.startsWith('re:') ? { pattern: l.slice(3), kind: 'regex' } : l.startsWith('sub:') ? { pattern: l.slice(4), kind: 'substring' } : { pattern: l, kind: 'word' }));
}

function renderSettings(settings) {
  const fields = FIELDS.map(([key, label, kind, choices]) => {
    const id = `setting-${key}`;
    const error = el('span', { class: 'field-error', id: `${id}-error` });
    let input;
    if (kind === 'bool') input = el('input', { id, name: key, type: 'checkbox', checked: settings[key] });
    else if (kind === 'number') input = el('input', { id, name: key, type: 'number', step: 'any', value: settings[key] });
    else if (kind === 'choice') input = el('select', { id, name: key }, choices.map((c) => el('option', { value: c, selected: settings[key] === c }, c)));
    else if (kind === 'words') input = el('textarea', { id, name: key, rows: 3 }, wordsToText(settings[key]));
    else input = el('textarea', { id, name: key, rows: 2 }, Object.entries(settings[key] || {}).map(([k, v]) => `${k}=${v}`).join('\n'));
    input.setAttribute('aria-describedby', `${id}-error`);
    return el('div', { class: `setting ${kind}` }, el('label', { for: id }, label), input, error);
  });
  $('settings-fields').replaceChildren(...fields);
}

/** The form's values as a settings object (what PUT and the rule tester send). */
function formSettings() {
  const form = $('settings-form');
  const out = {};
  for (const [key, , kind] of FIELDS) {
    const input = form.elements.namedItem(key);
    if (kind === 'bool') out[key] = input.checked;
    else if (kind === 'number') out[key] = input.value === '' ? null : Number(input.value);
    else if (kind === 'choice') out[key] = input.value;
    else if (kind === 'words') out[key] = textToWords(input.value);
    else out[key] = Object.fromEntries(input.value.split('\n').map((l) => l.trim()).filter(Boolean).map((l) => l.split('=').map((s) => s.trim())));
  }
  return out;
}

function showFieldErrors(fields) {
  for (const node of document.querySelectorAll('#settings-fields .field-error')) node.textContent = '';
  for (const node of document.querySelectorAll('#settings-fields [aria-invalid]')) node.removeAttribute('aria-invalid');
  for (const f of fields) {
    const key = f.field.split('.')[0];
    const error = $(`setting-${key}-error`);
    if (!error) continue;
    error.textContent = f.message;
    $(`setting-${key}`).setAttribute('aria-invalid', 'true');
  }
  if (fields.length) $(`setting-${fields[0].field.split('.')[0]}`)?.focus();
}

export async function openAdmin(announce) {
  $('admin').hidden = false;
  const { settings } = await get('/api/moderation/settings');
  loaded = settings;
  renderSettings(settings);
  $('admin-title').focus?.();

  $('settings-form').onsubmit = async (e) => {
    e.preventDefault();
    $('settings-status').textContent = '';
    try {
      const res = await put('/api/moderation/settings', formSettings());
      loaded = res.settings;
      showFieldErrors([]);
      $('settings-status').textContent = 'Saved. Workers use the new settings within seconds.';
      announce('Settings saved.');
    } catch (err) {
      showFieldErrors(err.fields || []);
      $('settings-status').textContent = err.message;
      announce(`Settings not saved: ${err.fields?.map((f) => `${f.field}: ${f.message}`).join('; ') || err.message}`);
    }
  };

  $('rule-test-form').onsubmit = async (e) => {
    e.preventDefault();
    const f = e.currentTarget.elements;
    const box = $('rule-test-result');
    try {
      const res = await post('/api/moderation/rule-test', {
        comment: { authorName: f.authorName.value, authorEmail: f.authorEmail.value, authorUrl: f.authorUrl.value || null, body: f.body.value },
        request: { ip: f.ip.value || null, userAgent: navigator.userAgent },
        settings: formSettings(),
      });
      box.replaceChildren(renderDecision(res.decision));
    } catch (err) {
      box.replaceChildren(el('p', { class: 'error' }, err.fields?.map((x) => `${x.field}: ${x.message}`).join('; ') || err.message));
    }
  };

  const email = () => $('privacy-form').elements.email.value.trim();
  $('export-button').onclick = async () => {
    if (!email()) return ($('privacy-status').textContent = 'Enter an email first.');
    const data = await get(`/api/moderation/privacy/export?email=${encodeURIComponent(email())}`);
    const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
    const link = el('a', { href: url, download: `personal-data-${email()}.json` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
    $('privacy-status').textContent = `Exported ${plural(data.comments.length, 'comment')}.`;
  };
  $('erase-button').onclick = async () => {
    const bodies = $('privacy-form').elements.bodies.value;
    if (!email()) return ($('privacy-status').textContent = 'Enter an email first.');
    if (!confirm(`Erase the personal data of ${email()}${bodies === 'delete' ? ' and delete their comments' : ''}? This cannot be undone.`)) return;
    const res = await post('/api/moderation/privacy/erase', { email: email(), bodies });
    $('privacy-status').textContent = `Erased: ${plural(res.comments, 'comment')}.`;
  };
}

function renderDecision(decision) {
  return el(
    'div',
    {},
    el('p', { class: 'decision' }, 'Decision: ', el('strong', { class: `badge ${decision.status}` }, decision.status), ` with ${decision.score} points`),
    el(
      'table',
      { class: 'trace' },
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Check'), el('th', { scope: 'col' }, 'Verdict'), el('th', { scope: 'col' }, 'Points'), el('th', { scope: 'col' }, 'Reasons'))),
      el(
        'tbody',
        {},
        decision.verdicts.map((v) =>
          el(
            'tr',
            { class: v.verdict },
            el('td', {}, v.check),
            el('td', {}, v.verdict + (v.mode === 'observe' ? ' (observed)' : '')),
            el('td', {}, String(v.score)),
            el('td', {}, v.reasons.map((r) => r.message + (r.match ? ` [${r.match}]` : '')).join(' ')),
          ),
        ),
      ),
    ),
  );
}
