// Admin tools: every moderation setting (validated by the API), the rule tester, privacy requests.
import { get, post, put } from './api.js';
import { el, plural } from './dom.js';

const $ = (id) => document.getElementById(id);

/** How each setting is edited; the API's validation is the authority, these only shape the form. */
const FIELDS = [
  ['holdAll', 'Hold every comment for a moderator', 'bool'],
  ['spamThreshold', 'Spam at this many points', 'number'],
  ['holdThreshold', 'Hold for review at this many points', 'number'],
  ['commentMaxLinks', 'Hold comments with this many links or more (0: no limit)', 'number'],
  ['moderationKeys', 'Hold comments containing (one per line; "re:" regular expression, "sub:" part of a word)', 'words'],
  ['disallowedKeys', 'Treat as spam comments containing (same format)', 'words'],
  ['disallowedAction', 'Disallowed words send comments to', 'choice', ['spam', 'trash']],
  ['previouslyApproved', 'Approve authors with an approved comment before', 'bool'],
  ['minSubmitSeconds', 'A person needs at least this long to write a comment', 'duration'],
  ['formTokenMaxAgeSeconds', 'Form tokens expire after', 'duration'],
  ['missingTokenScore', 'Points for a comment without a form token', 'number'],
  ['floodSeconds', 'One comment per IP or email every (0: no limit)', 'duration'],
  ['hourlyLimitPerIp', 'Comments per IP per hour (0: no limit)', 'number'],
  ['civilityHoldThreshold', 'Civility: hold comments whose toxicity score is at least (0.01–1; lower holds more)', 'number'],
  ['civilityAllowList', 'Civility: words this site accepts (one per line, e.g. "liar" on a politics desk)', 'list'],
  ['checkModes', 'Checks', 'modes'],
];
const LABELS = Object.fromEntries(FIELDS.map(([key, label]) => [key, label]));

const UNITS = [
  ['days', 86400],
  ['hours', 3600],
  ['minutes', 60],
  ['seconds', 1],
];
const MODE_LABELS = { enforce: 'Enforce: counts', observe: 'Observe: recorded, no effect', off: 'Off: not run' };

let loaded = null;
let checks = [];

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

/** A number and a unit, so 172800 reads "2 days" (the largest unit that divides it evenly); the API stores seconds. */
function durationInput(id, key, seconds) {
  const [unit, size] = UNITS.find(([, n]) => seconds % n === 0 && seconds >= n) ?? ['seconds', 1];
  return el(
    'span',
    { class: 'duration' },
    el('input', { id, name: key, type: 'number', min: '0', step: 'any', value: seconds / size, 'aria-describedby': `${id}-error` }),
    el(
      'select',
      { name: `${key}-unit`, 'aria-label': `${LABELS[key]}: unit` },
      UNITS.map(([u]) => el('option', { value: u, selected: u === unit }, u)),
    ),
  );
}

/** One control per check: enforce / observe / off, with what the check does. */
function checkModesInput(modes) {
  return el(
    'fieldset',
    { id: 'setting-checkModes', class: 'checks', 'aria-describedby': 'setting-checkModes-error' },
    el('legend', {}, 'Checks: what each one does, and whether it counts'),
    el('p', { class: 'hint' }, 'Observe records a check’s verdict for moderators without changing the outcome; off does not run it.'),
    checks.map((c) =>
      el(
        'div',
        { class: 'check-mode' },
        el('label', { for: `check-mode-${c.name}` }, el('code', {}, c.name)),
        el('span', { class: 'hint', id: `check-mode-${c.name}-desc` }, c.description),
        el(
          'select',
          { id: `check-mode-${c.name}`, name: `check-mode-${c.name}`, 'aria-describedby': `check-mode-${c.name}-desc check-mode-${c.name}-error`, disabled: c.modes.length === 1 },
          c.modes.map((m) => el('option', { value: m, selected: (modes[c.name] ?? 'enforce') === m }, MODE_LABELS[m] ?? m)),
        ),
        el('span', { class: 'field-error', id: `check-mode-${c.name}-error` }),
      ),
    ),
  );
}

function renderSettings(settings) {
  const fields = FIELDS.map(([key, label, kind, choices]) => {
    const id = `setting-${key}`;
    const error = el('span', { class: 'field-error', id: `${id}-error` });
    if (kind === 'modes') return el('div', { class: 'setting modes' }, checkModesInput(settings[key] || {}), error);
    let input;
    if (kind === 'bool') input = el('input', { id, name: key, type: 'checkbox', checked: settings[key] });
    else if (kind === 'number') input = el('input', { id, name: key, type: 'number', step: 'any', value: settings[key] });
    else if (kind === 'duration') input = durationInput(id, key, settings[key]);
    else if (kind === 'choice') input = el('select', { id, name: key }, choices.map((c) => el('option', { value: c, selected: settings[key] === c }, c)));
    else if (kind === 'list') input = el('textarea', { id, name: key, rows: 3 }, (settings[key] || []).join('\n'));
    else input = el('textarea', { id, name: key, rows: 3 }, wordsToText(settings[key]));
    if (kind !== 'duration') input.setAttribute('aria-describedby', `${id}-error`);
    return el('div', { class: `setting ${kind}` }, el('label', { for: id }, label), input, error);
  });
  $('settings-fields').replaceChildren(...fields);
}

/** A number field's value: null when empty or not a number (the API then names the field). */
function numberOf(input) {
  return input.value === '' || input.validity.badInput ? null : Number(input.value);
}

/** The form's values as a settings object (what PUT and the rule tester send). */
function formSettings() {
  const form = $('settings-form');
  const out = {};
  for (const [key, , kind] of FIELDS) {
    const input = form.elements.namedItem(key);
    if (kind === 'bool') out[key] = input.checked;
    else if (kind === 'number') out[key] = numberOf(input);
    else if (kind === 'duration') {
      const n = numberOf(input);
      const size = UNITS.find(([u]) => u === form.elements.namedItem(`${key}-unit`).value)[1];
      out[key] = n === null ? null : Math.round(n * size * 1000) / 1000;
    } else if (kind === 'choice') out[key] = input.value;
    else if (kind === 'words') out[key] = textToWords(input.value);
    else if (kind === 'list') out[key] = input.value.split(/[\n,]/).map((w) => w.trim()).filter(Boolean);
    else out[key] = Object.fromEntries(checks.map((c) => [c.name, form.elements.namedItem(`check-mode-${c.name}`).value]));
  }
  return out;
}

/** The error box and the control of an API field ("checkModes.links" is that check's control). */
function fieldTarget(field) {
  const [key, sub] = field.split('.');
  if (key === 'checkModes' && sub && $(`check-mode-${sub}`)) return { error: $(`check-mode-${sub}-error`), control: $(`check-mode-${sub}`), label: `Checks: ${sub}` };
  if (!$(`setting-${key}-error`)) return null;
  return { error: $(`setting-${key}-error`), control: $(`setting-${key}`), label: LABELS[key] ?? key };
}

function showFieldErrors(fields) {
  for (const node of document.querySelectorAll('#settings-fields .field-error')) node.textContent = '';
  for (const node of document.querySelectorAll('#settings-fields [aria-invalid]')) node.removeAttribute('aria-invalid');
  for (const f of fields) {
    const target = fieldTarget(f.field);
    if (!target) continue;
    target.error.textContent = target.error.textContent ? `${target.error.textContent} ${f.message}` : f.message;
    target.control.setAttribute('aria-invalid', 'true');
  }
  if (fields.length) fieldTarget(fields[0].field)?.control.focus();
}

/** "Form tokens expire after: Must be at least 1 minute." for each bad field. */
function describeErrors(fields) {
  return fields.map((f) => `${fieldTarget(f.field)?.label ?? f.field}: ${f.message}`).join(' ');
}

export async function openAdmin(announce) {
  $('admin').hidden = false;
  const { settings, checks: catalog } = await get('/api/moderation/settings');
  loaded = settings;
  checks = catalog || [];
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
      const why = err.fields?.length ? describeErrors(err.fields) : err.message;
      $('settings-status').textContent = `Not saved. ${why}`;
      announce(`Settings not saved: ${why}`);
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
      box.replaceChildren(el('p', { class: 'error' }, err.fields?.length ? describeErrors(err.fields.map((x) => ({ ...x, field: x.field.replace(/^settings\./, '') }))) : err.message));
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
