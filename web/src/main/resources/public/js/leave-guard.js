// Unsaved work: a page holding some says how to tell, and leaving it — a link, a hash change, signing
// out, closing or reloading the tab — asks first. One page at a time holds the guard.
import { confirmDialog } from './dom.js';

let dirty = null;

/** While the page shows, isDirty() says whether leaving would lose work. Returns the release function. */
export function guardUnsaved(isDirty) {
  dirty = isDirty;
  return () => { if (dirty === isDirty) dirty = null; };
}

export const unsaved = () => !!(dirty && dirty());

/** True when there is nothing to lose, or the user agrees to lose it. */
export async function mayLeave() {
  if (!unsaved()) return true;
  const ok = await confirmDialog('Leave without saving?',
    'Your changes on this page are not saved. If you leave now, they are lost.', 'Leave without saving', true, 'Stay on this page');
  if (ok) dirty = null;
  return ok;
}

// The browser asks on its own (its text, not ours) once the page says there is something to lose.
window.addEventListener('beforeunload', e => {
  if (unsaved()) {
    e.preventDefault();
    e.returnValue = '';
  }
});
