// A list the API serves page by page (?limit=&cursor=, answered with items and next_cursor), shown as table rows
// with a "Load more" button while there is a next page.
import { fill, h, showError } from './dom.js';

/**
 * id names the button (`${id}-more`); load(cursor) reads a page (cursor null: the first); row(item) makes a row.
 * first() fills the rows from the first page and resolves to its items; pager() is the button's bar, or null
 * when that page was the last.
 */
export function pagedRows({ id, load, row }) {
  const tbody = h('tbody');
  const more = h('button', { class: 'btn btn-sm', type: 'button', id: `${id}-more` }, 'Load more');
  let cursor = null;
  more.addEventListener('click', async () => {
    try {
      const p = await load(cursor);
      tbody.append(...p.items.map(row));
      cursor = p.next_cursor;
      if (!cursor) more.parentElement.remove();
    } catch (e) {
      showError(e);
    }
  });
  return {
    tbody,
    async first() {
      const p = await load(null);
      cursor = p.next_cursor;
      fill(tbody, p.items.map(row));
      return p.items;
    },
    pager: () => (cursor ? h('div', { class: 'pager' }, h('span'), more) : null),
  };
}
