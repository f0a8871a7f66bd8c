// A campaign's message, sender and recipients, a preview rendered for one recipient, and a test email
// through the queue — for a new campaign (#/campaigns/new) or a saved draft (#/campaigns/{id}/edit), which
// is changed with PATCH until it is queued. The server reads the recipients (recipients-import.js). The
// sender is chosen, never defaulted among several; leaving unsaved work asks first; queueing asks too.
import { get, patch, post } from '../api.js';
import { actionButton, empty, fill, h, icon, label, notice, tabs, toast } from '../dom.js';
import { clearErrors, field, input, select, showErrors, textarea } from '../forms.js';
import { fromZonedInput, num, toZonedInput, viewerZone, zoneLabel, zoned } from '../format.js';
import { guardUnsaved } from '../leave-guard.js';
import { confirmQueue } from '../send-window.js';
import { state, senderZone } from '../state.js';
import { render as renderTemplate, renderSubject, unknownPlaceholders } from '../template.js';
import { showPreview } from '../preview.js';
import { testEmailForm } from '../test-email.js';
import { readAs, recipientsImport } from './recipients-import.js';

const SAMPLE_HTML = '<h2>Hello {{name}},</h2>\n<p>Here is what is new this month.</p>\n<p>— The team</p>';
const SAMPLE_PERSON = { email: 'ann@example.com', name: 'Ann', vars: {} };

function noLongerEditable(main, c) {
  fill(main, h('div', { class: 'page-head' }, h('div', null, h('a', { class: 'crumb', href: `#/campaigns/${c.id}` }, `← ${c.name}`),
    h('h1', null, 'Edit campaign'))),
  h('div', { class: 'card' }, empty('info', 'This campaign can no longer be changed',
    `It is ${label(c.status).toLowerCase()}: its message and sender are what the workers send. Its schedule and pacing are on its page.`,
    h('a', { class: 'btn', href: `#/campaigns/${c.id}` }, 'Open the campaign'))));
}

export async function render(main, { id } = {}) {
  const senders = await state.senders(true);
  if (!senders.length) {
    fill(main, h('div', { class: 'page-head' }, h('h1', null, 'New campaign')),
      h('div', { class: 'card' }, empty('senders', 'No sender yet',
        'A campaign goes out through a sender: one SMTP account with its limits.',
        state.can('admin') ? h('a', { class: 'btn btn-primary', href: '#/senders/new' }, 'Add a sender') : h('p', null, 'Ask an admin to add one.'))));
    return null;
  }
  const draft = id ? await get(`/api/campaigns/${id}`) : null;
  if (draft && draft.status !== 'draft') {
    noLongerEditable(main, draft);
    return null;
  }

  // ---- message ----
  const name = input({ name: 'name', id: 'c-name', placeholder: 'November news', maxlength: 500, required: true, value: draft ? draft.name : '' });
  const senderOptions = senders.map(s => [s.id, `${s.name} — ${s.from_email}`]);
  // Among several senders none is picked for the user: the wrong one would send from the wrong address.
  const sender = select({ name: 'sender_id', id: 'c-sender', required: true },
    senders.length > 1 ? [['', 'Choose a sender…'], ...senderOptions] : senderOptions);
  if (draft) sender.value = String(draft.sender_id);
  const subject = input({ name: 'subject', id: 'c-subject', placeholder: 'Hello {{name}}', maxlength: 998, required: true, value: draft ? draft.subject : '' });
  const html = textarea({ name: 'html', id: 'c-html', class: 'input code', rows: 7, spellcheck: 'false', value: draft ? draft.html || '' : SAMPLE_HTML });
  const text = textarea({ name: 'text', id: 'c-text', rows: 3, placeholder: 'Hello {{name}}, …', value: draft ? draft.text || '' : '' });
  // When to send: picked in the viewer's time zone (the browser's unless chosen in the shell), sent as a UTC instant.
  const yourTz = viewerZone();
  const sendAt = input({ name: 'send_at', id: 'c-send-at', type: 'datetime-local', value: toZonedInput(draft && draft.send_at, yourTz) });
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
      field('Sender', sender, { name: 'sender_id', hint: senders.length > 1 ? 'The account and From address it goes out through.' : null }),
      sendAtField,
      field('Subject', subject, { full: true }),
      field('HTML body', html, { full: true, hint: 'Placeholders: {{name}}, {{email}} and {{vars.column}} for any extra CSV column. Values are HTML-escaped.' }),
      field('Plain-text body', text, { full: true, hint: 'Shown by mail apps that do not display HTML. Optional when there is an HTML body.' })));

  // ---- recipients ----
  let draftId = draft ? draft.id : null;
  let total = draft ? draft.total : 0;
  let stored = []; // the draft's first recipients as the server holds them, for the preview
  const draftTotal = h('p', { class: 'small', id: 'draft-total', hidden: !draft });
  const showTotal = () => {
    draftTotal.textContent = `This draft has ${num(total)} recipient${total === 1 ? '' : 's'}; those added here join them `
      + '(an address already in it is stored once).';
  };
  const imp = recipientsImport({ onChange: () => refreshPeople(), onImported: r => { total = r.total; showTotal(); loadStored(); } });
  const recipientsCard = h('section', { class: 'card', id: 'recipients-card' },
    h('div', { class: 'card-head' }, h('h2', null, draft ? 'Add recipients' : 'Recipients'), imp.tabs),
    h('div', { class: 'card-body stack' }, draftTotal, imp.el));
  showTotal();

  // ---- preview ----
  const previewAs = select({ id: 'preview-as', 'aria-label': 'Preview as', class: 'input select-compact preview-as' }, []);
  const pvSubject = h('span', { id: 'preview-subject' });
  const pvTo = h('span', { id: 'preview-to' });
  // Same origin so that showPreview can build the frame's document; still no scripts, forms or navigation.
  const frame = h('iframe', { class: 'preview-frame', sandbox: 'allow-same-origin', title: 'HTML preview', id: 'preview-frame' });
  const pre = h('pre', { class: 'preview-text', id: 'preview-text', hidden: true });
  const previewWarn = h('div');
  const pvTabs = tabs([['html', 'HTML'], ['text', 'Text']], v => { frame.hidden = v !== 'html'; pre.hidden = v !== 'text'; });
  const previewCard = h('section', { class: 'card', id: 'preview-card' },
    h('div', { class: 'card-head' }, h('h2', null, 'Preview'), h('div', { class: 'page-actions' }, previewAs, pvTabs.bar)),
    h('div', { class: 'preview-head' },
      h('span', { class: 'k' }, 'From'), h('span', { id: 'preview-from' }),
      h('span', { class: 'k' }, 'To'), pvTo,
      h('span', { class: 'k' }, 'Subject'), h('strong', null, pvSubject)),
    previewWarn, frame, pre);

  let people = [];
  const person = () => people[Number(previewAs.value) || 0] || SAMPLE_PERSON;
  const selectedSender = () => senders.find(x => x.id === Number(sender.value)) || null;

  function renderPreview() {
    const p = person();
    const s = selectedSender();
    previewCard.querySelector('#preview-from').textContent = s ? `${s.from_name ? `${s.from_name} ` : ''}<${s.from_email}>` : '(choose a sender)';
    pvTo.textContent = p.name ? `${p.name} <${p.email}>` : p.email;
    pvSubject.textContent = renderSubject(subject.value, p) || '(no subject)';
    showPreview(frame, renderTemplate(html.value, p, true));
    pre.textContent = renderTemplate(text.value, p, false) || '(no plain-text body)';
    const columns = [...new Set(people.flatMap(x => Object.keys(x.vars || {})))];
    const missing = unknownPlaceholders([subject.value, html.value, text.value], columns);
    fill(previewWarn, missing.length && people.length
      ? h('div', { class: 'preview-warn' }, notice('warn', `These placeholders have no column in your list and render empty: ${missing.map(m => `{{${m}}}`).join(', ')}`))
      : null);
  }

  /** Pasted people not yet sent, else the draft's stored ones, else a sample. */
  function refreshPeople() {
    const pasted = imp.previewPeople();
    people = (pasted.length ? pasted : stored).slice(0, 100);
    const keep = previewAs.value;
    fill(previewAs, people.length
      ? people.map((p, i) => h('option', { value: i }, p.name ? `${p.name} <${p.email}>` : p.email))
      : h('option', { value: 0 }, 'Sample: ann@example.com'));
    if (keep && Number(keep) < people.length) previewAs.value = keep;
    renderPreview();
  }

  async function loadStored() {
    if (!draftId) return;
    const r = await get(`/api/campaigns/${draftId}/recipients?limit=100`);
    stored = r.items.map(x => ({ email: x.email, name: x.name, vars: x.vars || {} }));
    refreshPeople();
  }

  // ---- saving ----
  const snapshot = () => JSON.stringify([name.value, sender.value, subject.value, html.value, text.value, sendAt.value]);
  let saved = snapshot();
  const release = guardUnsaved(() => snapshot() !== saved || imp.pending());

  const message = () => ({ name: name.value.trim(), sender_id: sender.value ? Number(sender.value) : null, subject: subject.value,
    html: html.value.trim() ? html.value : null, text: text.value.trim() ? text.value : null, send_at: sendAtIso() });

  /** Creates the draft, or changes it (PATCH) once it exists; the address bar then names the draft. False: not saved. */
  async function saveMessage() {
    clearErrors(messageCard);
    if (!sender.value) {
      showErrors(messageCard, [{ field: 'sender_id', message: 'required — choose the sender it goes out through' }]);
      return false;
    }
    try {
      if (!draftId) {
        draftId = (await post('/api/campaigns', message())).id;
        history.replaceState(null, '', `#/campaigns/${draftId}/edit`);
      } else {
        total = (await patch(`/api/campaigns/${draftId}`, message())).total;
      }
    } catch (e) {
      if (e.status === 400) showErrors(messageCard, e.errors);
      throw e;
    }
    saved = snapshot();
    return true;
  }

  async function save(queue) {
    if (queue && !draftId && !imp.hasSource()) {
      toast('error', 'No recipients yet', 'Paste addresses or choose a file before queueing.');
      return;
    }
    if (!(await saveMessage())) return;
    let imported = null;
    if (imp.pending()) {
      imported = await imp.upload(draftId);
      if (!imported) return; // the server refused the list: its reasons and the ways out are shown
    }
    if (queue) {
      if (!total) {
        toast('error', 'No recipients yet', 'The draft is saved; add recipients before queueing it.');
        return;
      }
      if (!(await confirmQueue({ name: name.value.trim(), total, sender: selectedSender(), sendAt: sendAtIso() }))) return;
      const queued = await post(`/api/campaigns/${draftId}/queue`);
      toast('ok', queued.defer_reason === 'scheduled' ? 'Campaign scheduled' : 'Campaign queued', queued.defer_reason === 'scheduled'
        ? `Nothing is sent before ${zoned(queued.send_at, senderZone(selectedSender()), true)}.` : 'A worker picks it up as soon as its sender is free.');
    } else {
      toast('ok', 'Draft saved', imported && imported.delimiter
        ? `${num(imported.added)} recipient${imported.added === 1 ? '' : 's'} added, read as ${readAs(imported)}.`
        : 'Queue it from its page when you are ready.');
    }
    release();
    location.hash = `#/campaigns/${draftId}`;
  }

  const saveDraft = actionButton({ class: 'btn', id: 'save-draft' }, 'Save draft', () => save(false));
  const saveQueue = actionButton({ class: 'btn btn-primary', id: 'save-queue' }, 'Save and queue', () => save(true));

  function content() {
    if (!sender.value) throw new Error('Choose a sender first.');
    if (!subject.value.trim()) throw new Error('Write a subject first.');
    if (!html.value.trim() && !text.value.trim()) throw new Error('Write an HTML or plain-text body first.');
    const p = person();
    return { sender_id: Number(sender.value), subject: renderSubject(subject.value, p), html: renderTemplate(html.value, p, true) || null,
      text: renderTemplate(text.value, p, false) || null };
  }

  const testCard = h('section', { class: 'card', id: 'test-card' },
    h('div', { class: 'card-head' }, h('h2', null, 'Send a test email')),
    h('div', { class: 'card-body stack' },
      h('p', { class: 'muted small' }, 'Goes through the queue like any other mail, rendered for the recipient in the preview, and counts against the sender\'s limits.'),
      testEmailForm({ content, tz: () => senderZone(selectedSender()) })));

  fill(main,
    h('div', { class: 'page-head' },
      h('div', null, draft ? h('a', { class: 'crumb', href: `#/campaigns/${draft.id}` }, `← ${draft.name}`) : h('a', { class: 'crumb', href: '#/campaigns' }, '← Campaigns'),
        h('h1', null, draft ? 'Edit draft' : 'New campaign'),
        h('p', { class: 'sub' }, draft ? 'Change the message, sender or schedule, or add recipients, until it is queued.'
          : 'Write the message, add recipients, check the preview, then queue it.'))),
    h('div', { class: 'grid-2' },
      h('div', { class: 'stack' }, messageCard, recipientsCard,
        h('div', { class: 'card' }, h('div', { class: 'card-foot card-foot-alone' },
          h('span', { class: 'muted small foot-note' }, icon('info'), ' Queueing asks first, saying to how many, from whom and when it starts.'),
          saveDraft, saveQueue))),
      h('div', { class: 'stack sticky' }, previewCard, state.can('operator') ? testCard : null)));

  for (const el of [subject, html, text, sender]) el.addEventListener('input', renderPreview);
  previewAs.addEventListener('change', renderPreview);
  sendAt.addEventListener('input', showSendAt);
  pvTabs.pick('html');
  refreshPeople();
  if (draftId) loadStored().catch(() => { /* the preview keeps its sample */ });
  return () => { imp.stop(); release(); };
}
