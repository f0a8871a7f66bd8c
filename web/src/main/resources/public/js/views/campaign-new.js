// New campaign: message, sender, recipients (pasted or a CSV file, counted and checked before anything is
// queued), a preview rendered for one recipient, and a test email through the queue.
import { api, post } from '../api.js';
import { actionButton, empty, fill, h, icon, notice, showError, toast } from '../dom.js';
import { clearErrors, field, input, select, showErrors, textarea } from '../forms.js';
import { fromZonedInput, num, viewerZone, zoneLabel, zoned } from '../format.js';
import { describeError, fromCsv, fromPaste, uniqueCount } from '../recipients.js';
import { state, senderZone } from '../state.js';
import { render as renderTemplate, renderSubject, unknownPlaceholders } from '../template.js';
import { showPreview } from '../preview.js';
import { testEmailForm } from '../test-email.js';

const PARSE_LIMIT = 20 * 1024 * 1024;
const SAMPLE_HTML = '<h2>Hello {{name}},</h2>\n<p>Here is what is new this month.</p>\n<p>— The team</p>';

function tabs(names, onPick) {
  const bar = h('div', { class: 'tabs', role: 'tablist' });
  const buttons = names.map(([id, text]) => h('button', { type: 'button', class: 'tab', role: 'tab', 'data-tab': id,
    'aria-selected': 'false', onclick: () => pick(id) }, text));
  const pick = id => {
    for (const b of buttons) b.setAttribute('aria-selected', String(b.dataset.tab === id));
    onPick(id);
  };
  bar.append(...buttons);
  return { bar, pick };
}

export async function render(main) {
  const senders = await state.senders(true);
  if (!senders.length) {
    fill(main, h('div', { class: 'page-head' }, h('h1', null, 'New campaign')),
      h('div', { class: 'card' }, empty('senders', 'No sender yet',
        'A campaign goes out through a sender: one SMTP account with its limits.',
        state.can('admin') ? h('a', { class: 'btn btn-primary', href: '#/senders/new' }, 'Add a sender') : h('p', null, 'Ask an admin to add one.'))));
    return null;
  }

  // ---- message ----
  const name = input({ name: 'name', id: 'c-name', placeholder: 'November news', maxlength: 500, required: true });
  const sender = select({ name: 'sender_id', id: 'c-sender' }, senders.map(s => [s.id, `${s.name} — ${s.from_email}`]));
  const subject = input({ name: 'subject', id: 'c-subject', placeholder: 'Hello {{name}}', maxlength: 998, required: true });
  const html = textarea({ name: 'html', id: 'c-html', class: 'input code', rows: 7, spellcheck: 'false', value: SAMPLE_HTML });
  const text = textarea({ name: 'text', id: 'c-text', rows: 3, placeholder: 'Hello {{name}}, …' });
  // When to send: picked in the viewer's time zone (the browser's unless chosen in the shell), sent as a UTC instant.
  const yourTz = viewerZone();
  const sendAt = input({ name: 'send_at', id: 'c-send-at', type: 'datetime-local' });
  const sendAtUtc = h('span', { class: 'hint', id: 'send-at-utc', 'aria-live': 'polite' });
  const sendAtIso = () => fromZonedInput(sendAt.value, yourTz);
  const showSendAt = () => {
    const iso = sendAtIso();
    sendAtUtc.textContent = iso ? `= ${iso.replace('.000Z', 'Z')} (UTC)` : 'Empty: it starts as soon as it is queued and its sender is free.';
  };
  const zoneText = zoneLabel(yourTz) === 'UTC' ? 'UTC' : `${zoneLabel(yourTz)}, ${yourTz}`;
  const sendAtField = field(`Send at (${zoneText})`, sendAt,
    { name: 'send_at', hint: `Optional. In your time zone, ${yourTz}; nothing is sent before this time.` });
  sendAtField.append(sendAtUtc);
  showSendAt();
  const messageCard = h('section', { class: 'card', id: 'message-card' },
    h('div', { class: 'card-head' }, h('h2', null, 'Message')),
    h('div', { class: 'card-body form-grid' },
      field('Campaign name', name, { hint: 'For you and your team; recipients never see it.' }),
      field('Sender', sender, { name: 'sender_id' }),
      sendAtField,
      field('Subject', subject, { full: true }),
      field('HTML body', html, { full: true, hint: 'Placeholders: {{name}}, {{email}} and {{vars.column}} for any extra CSV column. Values are HTML-escaped.' }),
      field('Plain-text body', text, { full: true, hint: 'Shown by mail apps that do not display HTML. Optional when there is an HTML body.' })));

  // ---- recipients ----
  const paste = textarea({ name: 'recipients_paste', id: 'recipients-paste', class: 'input code', rows: 7, spellcheck: 'false',
    placeholder: 'email,name,plan\nann@example.com,Ann,pro\nbob@example.com,Bob,free\n\n…or one address per line: Ann <ann@example.com>' });
  const file = h('input', { type: 'file', id: 'recipients-file', name: 'recipients_file', accept: '.csv,text/csv,text/plain', class: 'input input-file' });
  const pastePane = h('div', { class: 'field' }, h('label', { for: 'recipients-paste', class: 'sr-only' }, 'Recipients: paste a list or a CSV'), paste);
  const filePane = h('div', { class: 'field', hidden: true }, h('label', { for: 'recipients-file' }, 'CSV file of recipients'), file,
    h('span', { class: 'hint' }, 'A header row email,name,… — every other column becomes a {{vars.column}} value. Large files are streamed to the server.'));
  const summary = h('div', { id: 'recipients-summary', 'aria-live': 'polite' });
  const serverResult = h('div', { id: 'recipients-server' });
  let mode = 'paste';
  const recTabs = tabs([['paste', 'Paste'], ['file', 'Upload CSV']], id => {
    mode = id;
    pastePane.hidden = id !== 'paste';
    filePane.hidden = id !== 'file';
    analyse();
  });
  const recipientsCard = h('section', { class: 'card', id: 'recipients-card' },
    h('div', { class: 'card-head' }, h('h2', null, 'Recipients'), recTabs.bar),
    h('div', { class: 'card-body stack' }, pastePane, filePane, summary, serverResult));

  // ---- preview ----
  const previewAs = select({ id: 'preview-as', 'aria-label': 'Preview as', class: 'input select-compact preview-as' }, []);
  const pvSubject = h('span', { id: 'preview-subject' });
  const pvTo = h('span', { id: 'preview-to' });
  // Same origin so that showPreview can build the frame's document; still no scripts, forms or navigation.
  const frame = h('iframe', { class: 'preview-frame', sandbox: 'allow-same-origin', title: 'HTML preview', id: 'preview-frame' });
  const pre = h('pre', { class: 'preview-text', id: 'preview-text', hidden: true });
  const previewWarn = h('div');
  const pvTabs = tabs([['html', 'HTML'], ['text', 'Text']], id => { frame.hidden = id !== 'html'; pre.hidden = id !== 'text'; });
  const previewCard = h('section', { class: 'card', id: 'preview-card' },
    h('div', { class: 'card-head' }, h('h2', null, 'Preview'), h('div', { class: 'page-actions' }, previewAs, pvTabs.bar)),
    h('div', { class: 'preview-head' },
      h('span', { class: 'k' }, 'From'), h('span', { id: 'preview-from' }),
      h('span', { class: 'k' }, 'To'), pvTo,
      h('span', { class: 'k' }, 'Subject'), h('strong', null, pvSubject)),
    previewWarn, frame, pre);

  let parsed = { people: [], rejected: [], columns: ['email', 'name'] };
  let fileText = null;
  let draftId = null;
  const samplePerson = { email: 'ann@example.com', name: 'Ann', vars: {} };
  const person = () => parsed.people[Number(previewAs.value) || 0] || samplePerson;

  function renderPreview() {
    const p = person();
    const s = senders.find(x => x.id === Number(sender.value));
    previewCard.querySelector('#preview-from').textContent = s ? `${s.from_name ? `${s.from_name} ` : ''}<${s.from_email}>` : '';
    pvTo.textContent = p.name ? `${p.name} <${p.email}>` : p.email;
    pvSubject.textContent = renderSubject(subject.value, p) || '(no subject)';
    showPreview(frame, renderTemplate(html.value, p, true));
    pre.textContent = renderTemplate(text.value, p, false) || '(no plain-text body)';
    const missing = unknownPlaceholders([subject.value, html.value, text.value], parsed.columns || []);
    fill(previewWarn, missing.length && parsed.people.length
      ? h('div', { class: 'preview-warn' }, notice('warn', `These placeholders have no column in your list and render empty: ${missing.map(m => `{{${m}}}`).join(', ')}`))
      : null);
  }

  function fillPreviewAs() {
    const keep = previewAs.value;
    fill(previewAs, parsed.people.length
      ? parsed.people.slice(0, 100).map((p, i) => h('option', { value: i }, p.email))
      : h('option', { value: 0 }, 'Sample: ann@example.com'));
    if (keep && Number(keep) < parsed.people.length) previewAs.value = keep;
  }

  async function analyse() {
    fill(serverResult);
    if (mode === 'paste') {
      parsed = paste.value.trim() ? fromPaste(paste.value) : { people: [], rejected: [], columns: ['email', 'name'] };
    } else if (file.files[0]) {
      const f = file.files[0];
      fileText = f.size <= PARSE_LIMIT ? await f.text() : await f.slice(0, 256 * 1024).text();
      parsed = fromCsv(fileText);
      parsed.partial = f.size > PARSE_LIMIT;
      if (parsed.partial) { parsed.rejected = []; parsed.people = parsed.people.slice(0, -1); }
    } else {
      parsed = { people: [], rejected: [], columns: ['email', 'name'] };
    }
    showSummary();
    fillPreviewAs();
    renderPreview();
  }

  function showSummary() {
    if (parsed.error) { fill(summary, notice('error', parsed.error)); return; }
    if (!parsed.people.length && !parsed.rejected.length) {
      fill(summary, h('p', { class: 'muted small' }, mode === 'paste' ? 'Paste addresses above — the count and any rejected rows show here before you queue.' : 'Choose a CSV file — the count and any rejected rows show here before you queue.'));
      return;
    }
    const unique = uniqueCount(parsed.people);
    const dupes = parsed.people.length - unique;
    const parts = [
      h('div', { class: 'small' }, h('strong', { id: 'recipient-count', 'data-count': unique }, parsed.partial ? `${num(unique)}+` : num(unique)),
        parsed.partial ? ' recipients in the first part of a large file — the server counts the rest' : ` recipient${unique === 1 ? '' : 's'} ready`,
        dupes ? h('span', { class: 'muted' }, ` · ${num(dupes)} duplicate${dupes === 1 ? '' : 's'} will be stored once`) : null,
        parsed.columns && parsed.columns.length > 2 ? h('span', { class: 'muted' }, ` · columns: ${parsed.columns.join(', ')}`) : null),
    ];
    if (parsed.rejected.length) {
      parts.push(notice('error', h('strong', { id: 'rejected-count', 'data-count': parsed.rejected.length },
        `${num(parsed.rejected.length)} row${parsed.rejected.length === 1 ? '' : 's'} rejected`),
      ' — the server refuses the whole list while any row is bad. Fix or remove them:',
      h('ul', { class: 'error-list', id: 'rejected-rows' }, parsed.rejected.slice(0, 100).map(r => h('li', null, `Line ${r.line}: ${r.message}`)))));
    }
    fill(summary, h('div', { class: 'stack' }, parts));
  }

  function lockMessage() {
    for (const el of [name, sender, subject, html, text, sendAt]) el.disabled = true;
    messageCard.querySelector('.card-body').prepend(h('div', { class: 'field full' },
      notice('info', `Draft #${draftId} is saved with this message. Fix the recipients and save again, or `,
        h('a', { href: `#/campaigns/${draftId}` }, 'open the draft'), '.')));
  }

  function content() {
    const s = Number(sender.value);
    if (!subject.value.trim()) throw new Error('Write a subject first.');
    if (!html.value.trim() && !text.value.trim()) throw new Error('Write an HTML or plain-text body first.');
    const p = person();
    return { sender_id: s, subject: renderSubject(subject.value, p), html: renderTemplate(html.value, p, true) || null,
      text: renderTemplate(text.value, p, false) || null };
  }

  async function save(queue) {
    clearErrors(main);
    fill(serverResult);
    if (queue && (parsed.rejected.length || parsed.error)) {
      toast('error', 'Some recipients are rejected', 'Fix the rejected rows before queueing; the server refuses the whole list otherwise.');
      recipientsCard.scrollIntoView({ block: 'start', behavior: 'smooth' });
      return;
    }
    if (queue && !parsed.people.length) {
      toast('error', 'No recipients yet', 'Paste addresses or choose a CSV file before queueing.');
      return;
    }
    const useFile = mode === 'file' && file.files[0];
    let id = draftId;
    try {
      if (!id) {
        const body = { name: name.value.trim(), sender_id: Number(sender.value), subject: subject.value,
          html: html.value.trim() ? html.value : null, text: text.value.trim() ? text.value : null,
          send_at: sendAtIso(),
          recipients: useFile ? [] : parsed.people.map(p => ({ email: p.email, name: p.name, vars: p.vars && Object.keys(p.vars).length ? p.vars : null })) };
        const created = await post('/api/campaigns', body);
        id = created.id;
        if (!useFile) {
          fill(serverResult, notice('ok', `Saved with ${num(created.total)} recipient${created.total === 1 ? '' : 's'}.`));
        }
      }
      if (useFile) {
        const r = await api('POST', `/api/campaigns/${id}/recipients`, { body: file.files[0], contentType: 'text/csv' });
        fill(serverResult, notice('ok', `The server accepted ${num(r.added)} recipient${r.added === 1 ? '' : 's'}`,
          r.suppressed ? ` (${num(r.suppressed)} on the suppression list will be skipped)` : '', '.'));
      }
    } catch (e) {
      if (e.status === 400 && e.errors.length) {
        const rest = showErrors(main, e.errors.filter(x => !String(x.field).startsWith('recipients') && !String(x.field).startsWith('csv')));
        const rec = e.errors.filter(x => String(x.field).startsWith('recipients') || String(x.field).startsWith('csv')).concat(rest);
        if (rec.length) {
          fill(serverResult, notice('error', h('strong', null, `The server rejected the list: ${num(rec.length)} problem${rec.length === 1 ? '' : 's'}`),
            ' — nothing was added.',
            h('ul', { class: 'error-list', id: 'server-errors' }, rec.map(x => h('li', null, describeError(x, parsed.people))))));
        }
      }
      if (id && !draftId) { draftId = id; lockMessage(); }
      throw e;
    }
    if (queue) {
      const queued = await post(`/api/campaigns/${id}/queue`);
      if (queued.defer_reason === 'scheduled') {
        toast('ok', 'Campaign scheduled', `Nothing is sent before ${zoned(queued.send_at, yourTz, true)}.`);
      } else {
        toast('ok', 'Campaign queued', 'A worker picks it up as soon as its sender is free.');
      }
    } else {
      toast('ok', 'Draft saved', 'Queue it from its page when you are ready.');
    }
    location.hash = `#/campaigns/${id}`;
  }

  const saveDraft = actionButton({ class: 'btn', id: 'save-draft' }, 'Save draft', () => save(false));
  const saveQueue = actionButton({ class: 'btn btn-primary', id: 'save-queue' }, 'Save and queue', () => save(true));

  const testCard = h('section', { class: 'card', id: 'test-card' },
    h('div', { class: 'card-head' }, h('h2', null, 'Send a test email')),
    h('div', { class: 'card-body stack' },
      h('p', { class: 'muted small' }, 'Goes through the queue like any other mail, rendered for the recipient in the preview, and counts against the sender\'s limits.'),
      testEmailForm({ content, tz: () => senderZone(senders.find(x => x.id === Number(sender.value))) })));

  fill(main,
    h('div', { class: 'page-head' },
      h('div', null, h('a', { class: 'crumb', href: '#/campaigns' }, '← Campaigns'), h('h1', null, 'New campaign'),
        h('p', { class: 'sub' }, 'Write the message, add recipients, check the preview, then queue it.'))),
    h('div', { class: 'grid-2' },
      h('div', { class: 'stack' }, messageCard, recipientsCard,
        h('div', { class: 'card' }, h('div', { class: 'card-foot card-foot-alone' },
          h('span', { class: 'muted small foot-note' }, icon('info'), ' Queued campaigns start as soon as their sender is free.'),
          saveDraft, saveQueue))),
      h('div', { class: 'stack sticky' }, previewCard, state.can('operator') ? testCard : null)));

  for (const el of [subject, html, text, sender]) el.addEventListener('input', renderPreview);
  previewAs.addEventListener('change', renderPreview);
  sendAt.addEventListener('input', showSendAt);
  let debounce = null;
  paste.addEventListener('input', () => { clearTimeout(debounce); debounce = setTimeout(() => analyse().catch(showError), 250); });
  file.addEventListener('change', () => analyse().catch(showError));
  recTabs.pick('paste');
  pvTabs.pick('html');
  return () => clearTimeout(debounce);
}
