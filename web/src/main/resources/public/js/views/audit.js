// Audit (admin): who changed what, newest first — the API keys behind lifecycle moves, sender and
// webhook changes, keys, suppressions, quota syncs and closed circuits. Nothing here is editable.
import { get, qs } from '../api.js';
import { empty, fill, h, loading } from '../dom.js';
import { relative, when } from '../format.js';
import { pagedRows } from '../paged.js';

/** "sender 3", "suppression a@example.com", "circuit 3/example.com". */
const target = r => [r.target_type.replaceAll('_', ' '), r.target_id].filter(Boolean).join(' ');

/** The detail's fields as "name: value" pairs; lists joined with commas. */
const detail = d => Object.entries(d || {}).map(([k, v]) =>
  `${k.replaceAll('_', ' ')}: ${Array.isArray(v) ? (v.length ? v.join(', ') : 'none') : v}`).join(' · ');

export async function render(main) {
  const body = h('div', null, loading());

  const row = r => h('tr', { 'data-id': r.id },
    h('td', { 'data-label': 'When', class: 'muted' }, when(r.at, { seconds: true }), h('div', { class: 'sub' }, relative(r.at))),
    h('td', { 'data-label': 'Who' }, r.key_name || (r.key_id ? `key ${r.key_id}` : 'Mailroom itself')),
    h('td', { 'data-label': 'Action', class: 'primary' }, h('span', { class: 'title' }, r.action)),
    h('td', { 'data-label': 'Target' }, target(r)),
    h('td', { 'data-label': 'Detail', class: 'muted small' }, detail(r.detail)));

  const list = pagedRows({ id: 'audit', row, load: cursor => get(`/api/audit${qs({ limit: 50, cursor })}`) });

  fill(main,
    h('div', { class: 'page-head' },
      h('div', null, h('h1', null, 'Audit'), h('p', { class: 'sub' }, 'Every change made through the API: by which key, to what, and when.'))),
    h('section', { class: 'card' }, body));

  const load = async () => {
    if (!(await list.first()).length) {
      fill(body, empty('info', 'Nothing changed yet', 'Changes made through the API or this console show up here.'));
      return;
    }
    fill(body, h('div', { class: 'table-wrap' }, h('table', { class: 'table stack-sm', id: 'audit-table' },
      h('thead', null, h('tr', null, ['When', 'Who', 'Action', 'Target', 'Detail'].map(t => h('th', null, t)))),
      list.tbody)), list.pager());
  };
  await load();
  return { refresh: load }; // after the API was unreachable
}
