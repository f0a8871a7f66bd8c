// Recipients as the user gives them: a pasted list or table, or a spreadsheet file. The server reads and
// judges them (POST …/recipients as text/csv); the console only reads what it needs before that: people to
// render the preview for, a file's header row (for a column mapping) and how many rows it has.

const EMAIL = /^[^\s@<>(),;:"\[\]\\]+@[^\s@<>(),;:"\[\]\\]+\.[^\s@<>(),;:"\[\]\\]+$/;

export const isEmail = e => EMAIL.test(e || '') && e.length <= 254;

/** RFC 4180 rows: quoted fields, doubled quotes, CRLF or LF; each row carries its first line number. */
export function parseCsv(text, delimiter = ',') {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else { if (c === '\n') line++; field += c; }
    } else if (c === '"' && field === '') quoted = true;
    else if (c === delimiter) { row.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push({ line: rowLine, cells: row });
      row = []; field = ''; line++; rowLine = line;
    } else field += c;
  }
  if (field !== '' || row.length) { row.push(field); rows.push({ line: rowLine, cells: row }); }
  return rows.filter(r => !(r.cells.length === 1 && r.cells[0].trim() === ''));
}

/** The server's rule: the delimiter seen most often outside quotes on the header line; a comma when none is. */
export function detectDelimiter(text) {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const c of text) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && c in counts) counts[c]++;
  }
  return Object.keys(counts).reduce((best, d) => (counts[d] > counts[best] ? d : best), ',');
}

/** A table with a header row → {people, columns}; extra columns become vars. For the preview only. */
function fromTable(text) {
  const rows = parseCsv(text.replace(/^\uFEFF/, ''), detectDelimiter(text));
  if (!rows.length) return { people: [], columns: [] };
  const header = rows[0].cells.map(c => c.trim());
  const lower = header.map(c => c.toLowerCase());
  const emailCol = lower.indexOf('email');
  const nameCol = lower.indexOf('name');
  if (emailCol < 0) return { people: [], columns: header };
  const people = [];
  for (const r of rows.slice(1)) {
    const email = (r.cells[emailCol] || '').trim();
    if (r.cells.length !== header.length || !isEmail(email)) continue;
    const vars = {};
    header.forEach((col, i) => { if (i !== emailCol && i !== nameCol) vars[col] = r.cells[i]; });
    people.push({ email, name: nameCol >= 0 && r.cells[nameCol] ? r.cells[nameCol] : null, vars });
  }
  return { people, columns: header };
}

/** A pasted list without a header row: its first line holds an address. */
export const isPlainList = text => (text.split(/\r?\n/).find(l => l.trim()) || '').includes('@');

/** One line of a plain list: "email", "email, name", "Name <email>" or "Name, email". */
function parseLine(l) {
  const angle = l.match(/^"?([^"<]*?)"?\s*<([^>]+)>$/);
  if (angle) return { email: angle[2].trim(), name: angle[1].trim() || null };
  const cells = l.split(/[,;\t]/).map(c => c.trim());
  const at = cells.findIndex(c => c.includes('@'));
  return { email: at >= 0 ? cells[at] : cells[0], name: cells.filter((c, j) => j !== at && c).join(' ') || null };
}

/** Pasted text → {people, columns}, for the preview only: what the server would accept is its to say. */
export function fromPaste(text) {
  if (!isPlainList(text)) return fromTable(text);
  const people = text.split(/\r?\n/).filter(l => l.trim()).map(l => ({ ...parseLine(l.trim()), vars: {} }))
    .filter(p => isEmail(p.email));
  return { people, columns: ['email', 'name'] };
}

const csvField = s => (/[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);

/**
 * A plain list as CSV for the server: a header row email,name on top, then one row per line, blank lines
 * kept, so the server's line N is the user's line N − 1.
 */
export function plainListToCsv(text) {
  const rows = text.split(/\r?\n/).map(raw => {
    const l = raw.trim();
    if (!l) return '';
    const p = parseLine(l);
    return `${csvField(p.email || '')},${csvField(p.name || '')}`;
  });
  return ['email,name', ...rows].join('\n');
}

/**
 * Rows after the header in a CSV file, as the server counts them (blank lines skipped, line breaks inside
 * quotes kept): streamed byte by byte, so any size and either encoding (quotes and line breaks are ASCII).
 */
export async function countRows(blob) {
  const reader = blob.stream().getReader();
  let quoted = false;
  let content = false;
  let n = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    for (const b of value) {
      if (b === 0x22) { quoted = !quoted; content = true; }
      else if (!quoted && (b === 0x0a || b === 0x0d)) { if (content) n++; content = false; }
      else if (b !== 0x20 && b !== 0x09) content = true;
    }
  }
  if (content) n++;
  return Math.max(0, n - 1);
}
