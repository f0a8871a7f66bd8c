// Adding recipients from a pasted list or table, or a spreadsheet file: the server reads them (POST
// …/recipients as text/csv) and its answer is what the user sees — the delimiter and encoding it detected,
// a column mapping when the header has no email column, and for bad rows its all-or-nothing refusal with
// an explicit way out: import the good rows and skip the bad ones (invalid=skip), then what was skipped
// and why. The console reads a file only for its header row (the mapping's choices) and its row count.
import { api, qs } from '../api.js';
import { actionButton, fill, h, notice, tabs } from '../dom.js';
import { field, select, textarea } from '../forms.js';
import { num } from '../format.js';
import { countRows, detectDelimiter, fromPaste, isPlainList, parseCsv, plainListToCsv } from '../recipients.js';

const SAMPLE_BYTES = 64 * 1024; // what the server detects the encoding from
const MAX_ERRORS = 100; // the server stops listing bad rows there
const DELIMITERS = { ',': 'comma', ';': 'semicolon', tab: 'tab' };
const CHARSETS = { 'utf-8': 'UTF-8', 'windows-1251': 'Windows-1251' };
const HEADER_FIELDS = new Set(['csv.header', 'email_column', 'name_column']);
const ROW = /^recipients\[line (\d+)\](?:\.(\w+))?$/;

/** "semicolon-separated Windows-1251 text": how the server says it read a file. */
export const readAs = r => `${DELIMITERS[r.delimiter] || r.delimiter}-separated ${CHARSETS[r.charset] || r.charset} text`;

const plural = (n, one, many) => `${num(n)} ${n === 1 ? one : many}`;
const size = b => (b < 1024 ? `${b} B` : b < 1048576 ? `${(b / 1024).toFixed(1)} KB` : `${(b / 1048576).toFixed(1)} MB`);

/** Decodes a file's first bytes as the server would: UTF-8 when they are, else Windows-1251 (unless named). */
function decode(bytes, charset, truncated) {
  if (charset === 'windows-1251') return new TextDecoder('windows-1251').decode(bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: truncated });
  } catch {
    return new TextDecoder(charset === 'utf-8' ? 'utf-8' : 'windows-1251').decode(bytes);
  }
}

/**
 * The recipients card's body and tabs. onChange() runs when the source changes (the preview follows);
 * onImported(answer) after the server accepted an upload.
 */
export function recipientsImport({ onChange, onImported }) {
  const paste = textarea({ name: 'recipients_paste', id: 'recipients-paste', class: 'input code', rows: 7, spellcheck: 'false',
    placeholder: 'email,name,plan\nann@example.com,Ann,pro\nbob@example.com,Bob,free\n\n…or one address per line: Ann <ann@example.com>' });
  const file = h('input', { type: 'file', id: 'recipients-file', name: 'recipients_file', class: 'input input-file',
    accept: '.csv,.tsv,.txt,text/csv,text/plain,text/tab-separated-values' });
  const delimiter = select({ id: 'csv-delimiter', name: 'delimiter' }, [['', 'Detect'], [',', 'Comma'], [';', 'Semicolon'], ['tab', 'Tab']]);
  const charset = select({ id: 'csv-charset', name: 'charset' }, [['', 'Detect'], ['utf-8', 'UTF-8'], ['windows-1251', 'Windows-1251 (Cyrillic)']]);
  const pastePane = field('Addresses, or rows with a header row', paste, { name: 'recipients_paste',
    hint: 'One address per line (Ann <ann@example.com> works), or rows copied from a spreadsheet under a header row: email, name, and any other column as {{vars.column}}.' });
  const filePane = h('div', { class: 'stack', hidden: true },
    field('Spreadsheet saved as CSV', file, { name: 'recipients_file',
      hint: 'A header row names the columns. Comma, semicolon or tab separated, UTF-8 or Windows-1251: the server detects them and says what it found.' }),
    h('div', { class: 'form-grid' },
      field('Delimiter', delimiter, { hint: 'Detected unless you name it.' }),
      field('Encoding', charset, { hint: 'Name it if the names come out garbled.' })));
  const summary = h('div', { id: 'recipients-summary', 'aria-live': 'polite' });
  const result = h('div', { id: 'recipients-server', 'aria-live': 'polite' });

  let mode = 'paste';
  let mapping = null; // {email, name}: the columns the user named for a header without an email column
  let importedKey = null; // the source the server last accepted, so saving again does not send it twice
  let campaignId = null; // where the last upload went: the choices offered after it upload there again

  const plain = () => mode === 'paste' && isPlainList(paste.value);
  const hasSource = () => (mode === 'paste' ? paste.value.trim() !== '' : !!file.files[0]);
  const sourceKey = () => {
    const f = file.files[0];
    return mode === 'paste' ? `paste:${paste.value}` : `file:${f.name}:${f.size}:${f.lastModified}`;
  };
  const pending = () => hasSource() && sourceKey() !== importedKey;
  const lineShift = () => (plain() ? 1 : 0); // a plain list gets a header row on top
  const source = () => (mode === 'file' ? file.files[0]
    : new Blob([plain() ? plainListToCsv(paste.value) : paste.value], { type: 'text/csv' }));

  function lineText(line, what, message) {
    return `Line ${Number(line) - lineShift()}: ${what ? `${what} ` : ''}${message}`;
  }

  function problemText(e) {
    const m = ROW.exec(e.field || '');
    return m ? lineText(m[1], m[2], e.message) : e.message.charAt(0).toUpperCase() + e.message.slice(1);
  }

  /** The header row's columns, read as the server reads them (its detection, or what the user named). */
  async function readHeader() {
    let text = paste.value;
    if (plain()) return ['email', 'name'];
    if (mode === 'file') {
      const f = file.files[0];
      text = decode(new Uint8Array(await f.slice(0, SAMPLE_BYTES).arrayBuffer()), charset.value, f.size > SAMPLE_BYTES);
    }
    text = text.replace(/^\uFEFF/, '');
    const named = mode === 'file' ? { ',': ',', ';': ';', tab: '\t' }[delimiter.value] : null;
    const first = parseCsv(text, named || detectDelimiter(text))[0];
    return first ? first.cells.map(c => c.trim()).filter(Boolean) : [];
  }

  async function upload(id, skip = false) {
    campaignId = id;
    fill(result);
    const fileOnly = v => (mode === 'file' ? v || null : null);
    const query = qs({ delimiter: fileOnly(delimiter.value), charset: fileOnly(charset.value), email_column: mapping?.email,
      name_column: mapping?.name || null, invalid: skip ? 'skip' : null });
    try {
      const r = await api('POST', `/api/campaigns/${id}/recipients${query}`, { body: source(), contentType: 'text/csv' });
      importedKey = sourceKey();
      fill(result, report(r));
      showSummary();
      onImported(r);
      return r;
    } catch (e) {
      if (e.status !== 400 || !e.errors.length) throw e;
      await explain(e);
      return null;
    }
  }

  /** The server refused the upload: why, and what the user can do about it. */
  async function explain(e) {
    const header = e.errors.some(x => HEADER_FIELDS.has(x.field)) ? await readHeader().catch(() => []) : [];
    const wanted = (mapping?.email || 'email').toLowerCase();
    if (header.length && (!header.some(c => c.toLowerCase() === wanted) || e.errors.some(x => x.field === 'name_column'))) {
      fill(result, mappingForm(header, e));
      return;
    }
    const problems = h('ul', { class: 'error-list', id: 'csv-problems' }, e.errors.map(x => h('li', null, problemText(x))));
    const rows = e.errors.filter(x => ROW.test(x.field) && !x.message.startsWith('malformed CSV'));
    if (rows.length < e.errors.length) {
      fill(result, notice('error', h('strong', null, 'The server could not read this list'), ' — nothing was added.', problems));
      return;
    }
    const bad = rows.length;
    const good = bad >= MAX_ERRORS ? null : (await countRows(source())) - bad;
    const offer = good === 0 ? h('p', { class: 'small' }, 'No row is good: fix them and save again.')
      : h('div', { class: 'inline-form' },
        actionButton({ class: 'btn btn-primary', id: 'csv-skip' }, good === null
          ? `Import the good rows, skip the bad ones (${num(bad)} or more)`
          : `Import the ${plural(good, 'good row', 'good rows')}, skip the ${plural(bad, 'bad one', 'bad ones')}`,
        () => upload(campaignId, true)),
        h('span', { class: 'muted small' }, 'or fix the rows and save again.'));
    fill(result, h('div', { class: 'stack' }, notice('error',
      h('strong', null, `${bad >= MAX_ERRORS ? `${num(bad)} or more` : num(bad)} bad row${bad === 1 ? '' : 's'}`),
      ' — the server adds all the rows or none, so nothing was added yet:', problems), offer));
  }

  function mappingForm(header, e) {
    const email = select({ id: 'csv-email-column', name: 'email_column' }, header.map(c => [c, c]));
    const name = select({ id: 'csv-name-column', name: 'name_column' }, [['', 'No name column'], ...header.map(c => [c, c])]);
    email.value = header.find(c => /mail|почт/i.test(c)) || header[0];
    name.value = header.find(c => /^(name|full name|имя|фио)$/i.test(c)) || '';
    const apply = actionButton({ class: 'btn btn-primary', id: 'csv-apply-mapping' }, 'Import with these columns', async () => {
      mapping = { email: email.value, name: name.value };
      await upload(campaignId);
    });
    return h('div', { class: 'stack', id: 'csv-mapping' },
      notice('warn', h('strong', null, 'Which column holds the email addresses?'),
        ' The server found no such column in the header row. ', h('span', { class: 'muted small' }, `(${e.errors.map(x => x.message).join('; ')})`)),
      h('div', { class: 'form-grid' },
        field('Email addresses are in the column', email, { name: 'email_column' }),
        field('Names are in the column', name, { name: 'name_column', hint: 'Optional. Every other column becomes a {{vars.column}} value.' })),
      h('div', null, apply));
  }

  function report(r) {
    const skipped = r.skipped || [];
    return h('div', { id: 'import-report' }, notice(r.skipped_count ? 'warn' : 'ok',
      h('div', null, h('strong', null, `${plural(r.added, 'recipient', 'recipients')} added`),
        r.suppressed ? ` (${num(r.suppressed)} on the suppression list will not be sent to)` : '',
        ` — ${plural(r.total, 'recipient', 'recipients')} in the campaign now.`),
      r.delimiter ? h('div', { class: 'small', id: 'csv-format' }, `The server read it as ${readAs(r)}.`) : null,
      r.skipped_count ? h('div', { class: 'small' }, `${plural(r.skipped_count, 'row was', 'rows were')} skipped:`,
        h('ul', { class: 'error-list', id: 'skipped-rows' }, skipped.map(s => h('li', null, lineText(s.line, '', s.message)))),
        r.skipped_count > skipped.length ? `…and ${num(r.skipped_count - skipped.length)} more.` : null) : null,
      h('div', { class: 'small' }, 'Saved in ', h('a', { href: `#/campaigns/${campaignId}` }, `draft #${campaignId}`),
        ': queue it with “Save and queue” when the message is ready.')));
  }

  function showSummary() {
    if (!hasSource()) {
      fill(summary, h('p', { class: 'muted small' }, mode === 'paste'
        ? 'Paste addresses above: the server checks every row when you save.'
        : 'Choose a file: the server reads it when you save, and says how it read it.'));
    } else if (!pending()) {
      fill(summary);
    } else if (mode === 'paste') {
      const rows = plain() ? paste.value.split(/\r?\n/).filter(l => l.trim()).length
        : Math.max(0, parseCsv(paste.value, detectDelimiter(paste.value)).length - 1);
      fill(summary, h('p', { class: 'small' }, h('strong', { id: 'recipient-count', 'data-count': rows }, plural(rows, 'row', 'rows')),
        ' to add — the server checks each when you save.'));
    } else {
      const f = file.files[0];
      fill(summary, h('p', { class: 'small' }, h('strong', null, f.name), ` · ${size(f.size)} — the server reads it when you save.`));
    }
  }

  /** The source changed: what the server said of the previous one no longer holds. */
  let ready = false; // the page is still being built while the first tab is picked
  function changed() {
    mapping = null;
    fill(result);
    showSummary();
    if (ready) onChange();
  }

  const bar = tabs([['paste', 'Paste'], ['file', 'Upload CSV']], id => {
    mode = id;
    pastePane.hidden = id !== 'paste';
    filePane.hidden = id !== 'file';
    changed();
  });
  let debounce = null;
  paste.addEventListener('input', () => { clearTimeout(debounce); debounce = setTimeout(changed, 250); });
  for (const el of [file, delimiter, charset]) el.addEventListener('change', changed);
  bar.pick('paste');
  ready = true;

  return {
    tabs: bar.bar,
    el: h('div', { class: 'stack' }, pastePane, filePane, summary, result),
    hasSource,
    pending,
    upload,
    /** People from pasted text not yet sent, for the preview (the server's list is the page's to read). */
    previewPeople: () => (mode === 'paste' && pending() ? fromPaste(paste.value).people : []),
    stop: () => clearTimeout(debounce),
  };
}
