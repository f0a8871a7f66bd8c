// Senders (admin): the list, and one form to create or edit a sender with its SMTP account, limits and
// sending window. The password is write-only: left empty on edit, it stays as it is. Each sender shows how
// its relay last answered (the named fault when it failed), and an existing one can test its connection.
import { get, patch, post } from '../api.js';
import { actionButton, badge, empty, fill, h, loading, notice, toast } from '../dom.js';
import { clearErrors, field, input, select, showErrors } from '../forms.js';
import { num } from '../format.js';
import { connectionBadge, connectionLine, connectionTest } from '../relay.js';
import { DAYS, windowText } from '../send-window.js';
import { state } from '../state.js';

/**
 * One banner per sender whose complaints over the last 7 days reached the alert threshold: mailbox
 * providers start filtering a sender's mail around 0.3 %.
 */
async function reputationBanners(senders, box) {
  const reps = await Promise.all(senders.map(sn => get(`/api/senders/${sn.id}/reputation`).catch(() => null)));
  const pctText = r => `${(100 * r).toFixed(2)}%`;
  fill(box, senders.map((sn, i) => {
    const r = reps[i];
    if (!r || !r.alert) return null;
    return h('div', { 'data-reputation-alert': sn.id }, notice('error',
      h('strong', null, `${sn.name}: complaints at ${pctText(r.complaint_rate)} of ${num(r.sent)} sent in the last ${r.window_days} days`),
      ` — at or above the ${pctText(r.complaint_rate_threshold)} alert threshold. Mailbox providers may start filtering its mail; `
        + `check who it mails and how they signed up. Bounced later: ${num(r.bounced)}, unsubscribed: ${num(r.unsubscribed)}.`));
  }));
}

async function list(main) {
  const senders = await state.senders(true);
  const banners = h('div', { class: 'banners', id: 'reputation-alerts', 'aria-live': 'polite' });
  const body = senders.length
    ? h('div', { class: 'table-wrap' }, h('table', { class: 'table stack-sm', id: 'sender-table' },
      h('thead', null, h('tr', null, ['Sender', 'SMTP', 'Limits', 'Sending window', 'Status'].map(t => h('th', null, t)))),
      h('tbody', null, senders.map(sn => h('tr', { class: 'clickable', 'data-sender-id': sn.id, onclick: () => { location.hash = `#/senders/${sn.id}`; } },
        h('td', { class: 'primary', 'data-label': 'Sender' }, h('a', { class: 'title', href: `#/senders/${sn.id}` }, sn.name),
          h('div', { class: 'sub' }, sn.from_name ? `${sn.from_name} <${sn.from_email}>` : sn.from_email)),
        // One block beside the label: on a phone the cell is a row, and three loose items squeezed each other.
        h('td', { 'data-label': 'SMTP', class: 'nowrap' }, h('div', null, h('span', { class: 'mono' }, `${sn.smtp.host}:${sn.smtp.port}`),
          h('div', { class: 'sub' }, `${sn.smtp.tls === 'none' ? 'no TLS' : sn.smtp.tls.toUpperCase()}${sn.smtp.username ? ` · ${sn.smtp.username}` : ''}`),
          h('div', { class: 'sub', 'data-connection-badge': sn.id, title: sn.last_connection?.detail || '' }, connectionBadge(sn)))),
        h('td', { 'data-label': 'Limits', class: 'nowrap' }, `${num(sn.hourly_limit)} / hour`, h('div', { class: 'sub' }, `${num(sn.monthly_limit)} / month`)),
        h('td', { 'data-label': 'Window' }, windowText(sn.window)),
        h('td', { 'data-label': 'Status' }, sn.enabled ? badge('on', 'Enabled') : badge('off', 'Disabled')))))))
    : empty('senders', 'No sender yet', 'A sender is one SMTP account with its own hourly and monthly limits.',
      h('a', { class: 'btn btn-primary', href: '#/senders/new' }, 'Add a sender'));
  fill(main,
    h('div', { class: 'page-head' },
      h('div', null, h('h1', null, 'Senders'), h('p', { class: 'sub' }, 'SMTP accounts, their limits and when they may send.')),
      h('div', { class: 'page-actions' }, h('a', { class: 'btn btn-primary', href: '#/senders/new', id: 'new-sender' }, '+ New sender'))),
    banners,
    h('div', { class: 'card' }, body));
  await reputationBanners(senders, banners);
}

function zones() {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return ['UTC', 'Europe/Moscow', 'Europe/London', 'America/New_York'];
  }
}

async function edit(main, id) {
  const isNew = id === 'new';
  const sn = isNew ? null : await get(`/api/senders/${id}`);
  const v = (x, d) => (x === null || x === undefined ? d : x);
  const f = {
    name: input({ name: 'name', value: v(sn?.name, ''), required: true }),
    from_email: input({ name: 'from_email', type: 'email', value: v(sn?.from_email, '') }),
    from_name: input({ name: 'from_name', value: v(sn?.from_name, '') }),
    host: input({ name: 'smtp.host', value: v(sn?.smtp.host, '') }),
    port: input({ name: 'smtp.port', type: 'number', min: 1, max: 65535, value: v(sn?.smtp.port, 587) }),
    tls: select({ name: 'smtp.tls' }, [['starttls', 'STARTTLS'], ['tls', 'TLS'], ['none', 'None']]),
    username: input({ name: 'smtp.username', value: v(sn?.smtp.username, ''), autocomplete: 'off' }),
    password: input({ name: 'smtp.password', type: 'password', autocomplete: 'new-password',
      placeholder: sn?.has_password ? 'Unchanged — type to replace' : '' }),
    hourly: input({ name: 'hourly_limit', type: 'number', min: 0, value: v(sn?.hourly_limit, 100) }),
    monthly: input({ name: 'monthly_limit', type: 'number', min: 0, value: v(sn?.monthly_limit, 15000) }),
    useWindow: h('input', { type: 'checkbox', id: 's-window', checked: !!sn?.window || isNew }),
    start: input({ name: 'window.start', type: 'time', value: v(sn?.window?.start, '09:00') }),
    end: input({ name: 'window.end', type: 'time', value: v(sn?.window?.end, '18:00') }),
    tz: input({ name: 'window.timezone', list: 'tz-list', value: v(sn?.window?.timezone, Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC') }),
    enabled: h('input', { type: 'checkbox', id: 's-enabled', checked: sn ? sn.enabled : true }),
    plaintext: h('input', { type: 'checkbox', id: 's-plaintext', checked: !!sn?.smtp.allow_plaintext_auth }),
  };
  f.tls.value = v(sn?.smtp.tls, 'starttls');
  const days = new Set(sn?.window?.days || [1, 2, 3, 4, 5]);
  const dayBoxes = DAYS.map((d, i) => h('label', { class: 'check' },
    h('input', { type: 'checkbox', value: i + 1, checked: days.has(i + 1), 'data-day': i + 1 }), d));
  const windowBox = h('div', { class: 'form-grid mt-12' },
    field('From', f.start), field('Until', f.end),
    field('Time zone', f.tz, { full: true, hint: 'Times are local to this zone; daylight saving is handled.' }),
    h('div', { class: 'field full', 'data-field': 'window.days' }, h('span', { class: 'label' }, 'Days'), h('div', { class: 'checks' }, dayBoxes),
      h('span', { class: 'field-error', hidden: true })));
  const syncWindow = () => { windowBox.hidden = !f.useWindow.checked; };
  f.useWindow.addEventListener('change', syncWindow);
  syncWindow();

  const form = h('form', { class: 'grid-2', id: 'sender-form', novalidate: true });
  const left = h('div', { class: 'stack' },
    h('section', { class: 'card' }, h('div', { class: 'card-head' }, h('h2', null, 'Identity')),
      h('div', { class: 'card-body form-grid' },
        field('Name', f.name, { full: true, hint: 'Shown in the console only.' }),
        field('From address', f.from_email), field('From name', f.from_name, { hint: 'What recipients see as the sender.' }))),
    h('section', { class: 'card' }, h('div', { class: 'card-head' }, h('h2', null, 'SMTP account')),
      h('div', { class: 'card-body form-grid' },
        field('Host', f.host), field('Port', f.port),
        field('Username', f.username), field('Password', f.password, { hint: sn?.has_password ? 'A password is stored; it is never shown.' : null }),
        field('Encryption', f.tls),
        h('label', { class: 'switch full' }, f.plaintext,
          'Allow the password in clear (encryption None to a server other than this machine)')),
      isNew ? null : connectionSection(sn)));
  const right = h('div', { class: 'stack' },
    h('section', { class: 'card' }, h('div', { class: 'card-head' }, h('h2', null, 'Limits and window')),
      h('div', { class: 'card-body' },
        h('div', { class: 'form-grid' },
          field('Per hour', f.hourly, { hint: 'Mails per clock hour.' }),
          field('Per month', f.monthly, { hint: 'Also capped by what the provider reports.' })),
        h('fieldset', { class: 'fieldset mt-16' },
          h('legend', null, h('label', { class: 'switch' }, f.useWindow, 'Only send within a window')),
          h('p', { class: 'hint' }, 'Outside the window campaigns wait and resume at the next opening.'),
          windowBox),
        h('label', { class: 'switch mt-16' }, f.enabled, 'Enabled — when off, its campaigns wait (SMTP disabled)'))),
    h('datalist', { id: 'tz-list' }, zones().map(z => h('option', { value: z }))));

  const body = () => {
    const b = {
      name: f.name.value.trim(), from_email: f.from_email.value.trim(), from_name: f.from_name.value.trim() || null,
      smtp: { host: f.host.value.trim(), port: Number(f.port.value), tls: f.tls.value, username: f.username.value.trim() || null,
        allow_plaintext_auth: f.plaintext.checked },
      hourly_limit: Number(f.hourly.value), monthly_limit: Number(f.monthly.value),
      window: f.useWindow.checked ? { start: f.start.value, end: f.end.value, timezone: f.tz.value.trim(),
        days: dayBoxes.map(l => l.firstChild).filter(c => c.checked).map(c => Number(c.value)) } : null,
      enabled: f.enabled.checked,
    };
    if (f.password.value || isNew) b.smtp.password = f.password.value || null;
    return b;
  };
  const save = actionButton({ class: 'btn btn-primary', id: 'save-sender' }, isNew ? 'Create sender' : 'Save changes', async () => {
    clearErrors(form);
    try {
      const r = isNew ? await post('/api/senders', body()) : await patch(`/api/senders/${id}`, body());
      state.sendersCache = null;
      toast('ok', isNew ? 'Sender created' : 'Sender saved', r.name);
      location.hash = '#/senders';
    } catch (e) {
      if (e.status === 400) showErrors(form, e.errors);
      throw e;
    }
  });
  form.addEventListener('submit', e => { e.preventDefault(); save.click(); });
  fill(main,
    h('div', { class: 'page-head' },
      h('div', null, h('a', { class: 'crumb', href: '#/senders' }, '← Senders'), h('h1', null, isNew ? 'New sender' : `Edit ${sn.name}`))),
    form);
  right.append(h('div', { class: 'card' }, h('div', { class: 'card-foot card-foot-alone' },
    h('a', { class: 'btn', href: '#/senders' }, 'Back'), save)));
  form.append(left, right);
}

/** The relay as last found, and "Test connection" with the saved settings (the result updates the line). */
function connectionSection(sn) {
  const line = h('div', { id: 'sender-connection' }, connectionLine(sn));
  return h('div', { class: 'card-body', id: 'connection-card' },
    h('div', { class: 'section-title mt-0' }, 'Connection'), line,
    h('div', { class: 'mt-12' }, connectionTest(sn.id, async () => {
      state.sendersCache = null;
      fill(line, connectionLine(await get(`/api/senders/${sn.id}`)));
    })),
    h('p', { class: 'hint' }, 'The test uses the saved settings: save changes first.'));
}

export async function render(main, { id, edit: editing }) {
  if (!state.can('admin')) return null;
  fill(main, loading());
  if (editing) {
    await edit(main, id);
    return null;
  }
  await list(main);
  return { refresh: () => list(main) }; // after the API was unreachable
}
