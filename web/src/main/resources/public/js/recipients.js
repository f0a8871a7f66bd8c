// Recipients as the user gives them: a pasted list or a CSV file. Parsed here only to count them,
// show rejected rows before anything is sent and pick one for the preview; the server checks again.

const EMAIL = /^[^\s@<>(),;:"\[\]\\]+@[^\s@<>(),;:"\[\]\\]+\.[^\s@<>(),;:"\[\]\\]+$/;

export const isEmail = e => EMAIL.test(e || '') && e.length <= 254;

/** RFC 4180 rows: quoted fields, doubled quotes, CRLF or LF; each row carries its first line number. */
export function parseCsv(text) {
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
    else if (c === ',') { row.push(field); field = ''; }
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

/**
 * A CSV with a header row email,name,... → {people, rejected, columns}. Extra columns become vars.
 * rejected: [{line, message}] in the server's words.
 */
export function fromCsv(text) {
  const rows = parseCsv(text.replace(/^\uFEFF/, ''));
  if (!rows.length) return { people: [], rejected: [], columns: [], error: 'The file is empty: a header row email,name,… is required.' };
  const header = rows[0].cells.map(c => c.trim());
  const lower = header.map(c => c.toLowerCase());
  const emailCol = lower.indexOf('email');
  const nameCol = lower.indexOf('name');
  if (emailCol < 0) return { people: [], rejected: [], columns: header, error: 'The header row needs an email column (email,name,…).' };
  const people = [];
  const rejected = [];
  for (const r of rows.slice(1)) {
    if (r.cells.length !== header.length) {
      rejected.push({ line: r.line, message: `expected ${header.length} columns, found ${r.cells.length}` });
      continue;
    }
    const email = r.cells[emailCol].trim();
    if (!isEmail(email)) { rejected.push({ line: r.line, message: `“${email || '(empty)'}” is not a valid email address` }); continue; }
    const vars = {};
    header.forEach((col, i) => { if (i !== emailCol && i !== nameCol) vars[col] = r.cells[i]; });
    people.push({ email, name: nameCol >= 0 && r.cells[nameCol] ? r.cells[nameCol] : null, vars, line: r.line });
  }
  return { people, rejected, columns: header };
}

/**
 * A pasted list: either CSV with a header row, or one address per line as "email", "email, name",
 * "Name <email>" or "Name, email".
 */
export function fromPaste(text) {
  const first = (text.split(/\r?\n/).find(l => l.trim()) || '').toLowerCase();
  if (/(^|,)\s*email\s*(,|$)/.test(first)) return fromCsv(text);
  const people = [];
  const rejected = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const l = raw.trim();
    if (!l) return;
    let email; let name = null;
    const angle = l.match(/^"?([^"<]*?)"?\s*<([^>]+)>$/);
    if (angle) { name = angle[1].trim() || null; email = angle[2].trim(); }
    else {
      const cells = l.split(/[,;\t]/).map(c => c.trim());
      const at = cells.findIndex(c => c.includes('@'));
      email = at >= 0 ? cells[at] : cells[0];
      name = cells.filter((c, j) => j !== at && c).join(' ') || null;
    }
    if (!isEmail(email)) rejected.push({ line: i + 1, message: `“${email || l}” is not a valid email address` });
    else people.push({ email, name, vars: {}, line: i + 1 });
  });
  return { people, rejected, columns: ['email', 'name'] };
}

/** Duplicate addresses are stored once by the server; count them the same way. */
export function uniqueCount(people) {
  return new Set(people.map(p => p.email.toLowerCase())).size;
}

/** "recipients[3].email" → "Row 4: email …"; "recipients[line 7].email" → "Line 7: email …". */
export function describeError(e, people) {
  const m = /^recipients\[(line )?(\d+)\](?:\.(.+))?$/.exec(e.field || '');
  if (!m) return `${e.field ? `${e.field}: ` : ''}${e.message}`;
  const what = m[3] ? `${m[3]} ` : '';
  if (m[1]) return `Line ${m[2]}: ${what}${e.message}`;
  const p = people && people[Number(m[2])];
  const where = p ? `Line ${p.line}` : `Row ${Number(m[2]) + 1}`;
  return `${where}${p ? ` (${p.email})` : ''}: ${what}${e.message}`;
}
