// API keys (admin): every key with its role and when it was made and last used; a new key is shown once, right
// after it is made, with a copy button (Mailroom keeps only its hash); revoking asks first and is final.
import { del, get, post, qs } from '../api.js';
import { actionButton, badge, confirmDialog, empty, fill, h, icon, label, loading, notice, showError, toast } from '../dom.js';
import { clearErrors, field, input, select, showErrors } from '../forms.js';
import { fromZonedInput, relative, viewerZone, when, whenRel, zoneLabel } from '../format.js';
import { pagedRows } from '../paged.js';

const ROLES = [
  ['viewer', 'Viewer — reads everything but keys, audit and webhooks'],
  ['operator', 'Operator — also writes and runs campaigns, suppressions'],
  ['admin', 'Admin — everything, keys and senders included'],
  ['ingest', 'Ingest — only reports bounces (for a mail provider)'],
];

function keyStatus(k) {
  if (k.revoked_at) return { text: 'Revoked', badge: badge('off', 'Revoked'), since: k.revoked_at };
  if (k.expires_at && new Date(k.expires_at) <= new Date()) return { text: 'Expired', badge: badge('cancelled', 'Expired'), since: k.expires_at };
  return { text: 'Active', badge: badge('on', 'Active'), since: null };
}

/** Copies text; the clipboard API where the browser grants it, else the selected field and the copy command. */
async function copy(text, field) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    field.select();
    return document.execCommand('copy');
  }
}

/** The new key, once: a read-only field, a copy button, and the warning that it will not be shown again. */
function secretCard(created, onDone) {
  const secret = h('input', { class: 'input mono', id: 'new-key-secret', readonly: true, value: created.key, spellcheck: 'false',
    'aria-describedby': 'new-key-warning' });
  const copyText = h('span', null, 'Copy');
  const copyButton = h('button', { class: 'btn btn-primary', type: 'button', id: 'copy-key' }, icon('copy'), copyText);
  copyButton.addEventListener('click', async () => {
    const ok = await copy(created.key, secret);
    copyText.textContent = ok ? 'Copied' : 'Copy by hand: the key is selected';
  });
  const card = h('section', { class: 'card mb-16', id: 'new-key', 'aria-labelledby': 'new-key-title' },
    h('div', { class: 'card-head' }, h('h2', { id: 'new-key-title' }, `New key for “${created.name}” (${label(created.role)})`)),
    h('div', { class: 'card-body stack' },
      notice('warn', h('strong', { id: 'new-key-warning' }, 'Copy it now. You will not see this key again: '
        + 'Mailroom keeps only a hash of it.'), ' Whoever holds it acts with its role until it is revoked.'),
      h('div', { class: 'field' }, h('label', { for: 'new-key-secret' }, 'API key'),
        h('div', { class: 'inline-row' }, secret, copyButton))),
    h('div', { class: 'card-foot' }, h('button', { class: 'btn', type: 'button', id: 'new-key-done', onclick: onDone }, 'Done, I have stored it')));
  return { card, focus: () => { secret.focus(); secret.select(); } };
}

export async function render(main) {
  const body = h('div', null, loading('Loading keys…'));
  const secretSlot = h('div');

  const row = k => {
    const st = keyStatus(k);
    const revoke = st.text === 'Active' ? actionButton({ class: 'btn btn-sm btn-danger', 'data-revoke': k.id, 'aria-label': `Revoke ${k.name}` },
      'Revoke', async () => {
        const sure = await confirmDialog(`Revoke “${k.name}”?`,
          'Every request with this key is refused from now on, by every web process within a second. This cannot be undone. '
          + 'If it is the key you signed in with, the console signs you out.', 'Revoke key', true);
        if (!sure) return;
        await del(`/api/keys/${k.id}`);
        toast('ok', 'Key revoked', k.name);
        await first();
      }) : null;
    return h('tr', { 'data-key-id': k.id, 'data-key-name': k.name },
      h('td', { class: 'primary', 'data-label': 'Name' }, h('span', { class: 'title' }, k.name),
        k.bootstrap ? h('div', { class: 'sub' }, 'From MAILROOM_ADMIN_KEY') : null),
      h('td', { 'data-label': 'Role' }, h('span', { class: `badge plain role-${k.role}` }, label(k.role))),
      h('td', { 'data-label': 'Created', class: 'muted' }, when(k.created_at), h('div', { class: 'sub' }, relative(k.created_at))),
      h('td', { 'data-label': 'Last used', class: 'muted' }, k.last_used_at ? whenRel(k.last_used_at) : 'Never used'),
      h('td', { 'data-label': 'Expires', class: 'muted' }, k.expires_at ? whenRel(k.expires_at) : 'Never'),
      h('td', { 'data-label': 'Status' }, st.badge, st.since && st.text === 'Revoked' ? h('div', { class: 'sub' }, when(st.since)) : null),
      h('td', { 'data-label': '', class: 'num' }, revoke));
  };

  const list = pagedRows({ id: 'keys', row, load: cursor => get(`/api/keys${qs({ limit: 50, cursor })}`) });

  async function first() {
    if (!(await list.first()).length) {
      fill(body, empty('key', 'No keys', 'Create one above.'));
      return;
    }
    fill(body, h('div', { class: 'table-wrap' }, h('table', { class: 'table stack-sm', id: 'key-table' },
      h('thead', null, h('tr', null, ['Name', 'Role', 'Created', 'Last used', 'Expires', 'Status', ''].map(t => h('th', null, t)))),
      list.tbody)), list.pager());
  }

  // ---- create ----
  const tz = viewerZone();
  const name = input({ name: 'name', id: 'key-name', maxlength: 200, required: true, autocomplete: 'off' });
  const role = select({ name: 'role', id: 'key-role' }, ROLES);
  const expires = input({ name: 'expires_at', id: 'key-expires', type: 'datetime-local' });
  const form = h('form', { class: 'form-grid', id: 'key-form', novalidate: true },
    field('Name', name, { hint: 'Who or what uses it, e.g. "CRM sync".' }),
    field('Role', role),
    field(`Expires (${zoneLabel(tz)})`, expires, { hint: 'Optional; empty: never.' }),
    h('div', { class: 'field full form-actions' }, h('button', { class: 'btn btn-primary', type: 'submit', id: 'key-create' }, icon('key'), 'Create key')));
  form.addEventListener('submit', async e => {
    e.preventDefault();
    clearErrors(form);
    const submit = form.querySelector('#key-create');
    submit.disabled = true;
    try {
      const created = await post('/api/keys', { name: name.value.trim(), role: role.value, expires_at: fromZonedInput(expires.value, tz) });
      name.value = '';
      expires.value = '';
      const shown = secretCard(created, () => { fill(secretSlot); name.focus(); });
      fill(secretSlot, shown.card);
      shown.focus();
      await first();
    } catch (ex) {
      if (ex.status === 400) showErrors(form, ex.errors);
      showError(ex);
    } finally {
      submit.disabled = false;
    }
  });

  fill(main,
    h('div', { class: 'page-head' },
      h('div', null, h('h1', null, 'API keys'),
        h('p', { class: 'sub' }, 'Who may use the HTTP API and this console, and with which role. A key is shown once, when it is made.'))),
    secretSlot,
    h('section', { class: 'card mb-16', 'aria-labelledby': 'key-form-title' },
      h('div', { class: 'card-head' }, h('h2', { id: 'key-form-title' }, 'New key')),
      h('div', { class: 'card-body' }, form)),
    h('section', { class: 'card', 'aria-label': 'Keys' }, body));
  await first();
  return { refresh: first }; // after the API was unreachable
}
