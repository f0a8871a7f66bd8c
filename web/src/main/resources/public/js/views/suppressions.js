// Suppressions: addresses that are never sent to (hard bounces, complaints, unsubscribes, manual).
// Everyone can read the list; operators and admins add and remove.
import { del, get, post, qs } from '../api.js';
import { actionButton, badge, confirmDialog, empty, fill, h, label, loading, showError, toast } from '../dom.js';
import { clearErrors, field, input, select, showErrors } from '../forms.js';
import { relative, when } from '../format.js';
import { pagedRows } from '../paged.js';
import { state } from '../state.js';

const REASONS = ['manual', 'unsubscribe', 'hard_bounce', 'complaint'];

export async function render(main) {
  const canEdit = state.can('operator');
  const body = h('div', null, loading());

  const row = r => {
    const remove = canEdit ? actionButton({ class: 'btn btn-sm btn-danger', 'data-remove': r.email }, 'Remove', async () => {
      if (!(await confirmDialog(`Remove ${r.email}?`, 'Mailroom may send to this address again.', 'Remove', true))) return;
      await del(`/api/suppressions/${encodeURIComponent(r.email)}`);
      tr.remove();
      toast('ok', 'Removed from the suppression list', r.email);
      if (!list.tbody.children.length) first();
    }) : null;
    const tr = h('tr', { 'data-email': r.email },
      h('td', { class: 'primary', 'data-label': 'Address' }, h('span', { class: 'title' }, r.email)),
      h('td', { 'data-label': 'Reason' }, badge(r.reason, label(r.reason))),
      h('td', { 'data-label': 'Since', class: 'muted' }, when(r.created_at), h('div', { class: 'sub' }, relative(r.created_at))),
      canEdit ? h('td', { 'data-label': '', class: 'num' }, remove) : null);
    return tr;
  };
  const list = pagedRows({ id: 'suppressions', row, load: cursor => get(`/api/suppressions${qs({ limit: 50, cursor })}`) });

  async function first() {
    if (!(await list.first()).length) {
      fill(body, empty('suppressions', 'No suppressed addresses', 'Hard bounces and complaints land here by themselves; you can add addresses by hand too.'));
      return;
    }
    fill(body, h('div', { class: 'table-wrap' }, h('table', { class: 'table stack-sm', id: 'suppression-table' },
      h('thead', null, h('tr', null, ['Address', 'Reason', 'Since', canEdit ? '' : null].filter(x => x !== null).map(t => h('th', null, t)))),
      list.tbody)), list.pager());
  }

  const email = input({ name: 'email', type: 'email', id: 'suppress-email', placeholder: 'someone@example.com' });
  const reason = select({ name: 'reason', id: 'suppress-reason' }, REASONS.map(r => [r, label(r)]));
  const addForm = h('form', { class: 'inline-form', id: 'suppress-form', novalidate: true },
    field('Address', email), h('div', { class: 'narrow' }, field('Reason', reason)),
    h('button', { class: 'btn btn-primary', type: 'submit', id: 'suppress-add' }, 'Suppress'));
  addForm.addEventListener('submit', async e => {
    e.preventDefault();
    clearErrors(addForm);
    try {
      const r = await post('/api/suppressions', { email: email.value.trim(), reason: reason.value });
      toast('ok', 'Address suppressed', r.email);
      email.value = '';
      await first();
    } catch (ex) {
      if (ex.status === 400) showErrors(addForm, ex.errors);
      showError(ex);
    }
  });

  fill(main,
    h('div', { class: 'page-head' },
      h('div', null, h('h1', null, 'Suppressions'), h('p', { class: 'sub' }, 'Addresses Mailroom never sends to, whatever the campaign.'))),
    canEdit ? h('section', { class: 'card mb-16' }, h('div', { class: 'card-body' }, addForm)) : null,
    h('section', { class: 'card' }, body));
  await first();
  // After the API was unreachable: the list again, the form as it was typed.
  return { refresh: first };
}
