// Tables wider than their frame scroll sideways inside it (.table-wrap), never the page. Such a frame is marked
// (data-overflow) so CSS keeps its scroll bar visible, gets a line above it saying it scrolls, and becomes a focusable
// region so the keyboard can scroll it too. Frames are found as views add them, and re-measured as they resize.
import { h } from './dom.js';

const frames = new WeakSet();

function measure(wrap) {
  if (!wrap.isConnected) return;
  const over = wrap.scrollWidth > wrap.clientWidth + 1;
  if (over === wrap.hasAttribute('data-overflow')) return;
  wrap.toggleAttribute('data-overflow', over);
  if (over) {
    wrap.tabIndex = 0;
    wrap.setAttribute('role', 'region');
    if (!wrap.hasAttribute('aria-label')) wrap.setAttribute('aria-label', 'Table, scrolls sideways');
    wrap.before(h('p', { class: 'scroll-hint', 'aria-hidden': 'true' }, 'Scroll sideways for more columns →'));
  } else {
    wrap.removeAttribute('tabindex');
    wrap.removeAttribute('role');
    if (wrap.previousElementSibling?.classList.contains('scroll-hint')) wrap.previousElementSibling.remove();
  }
}

const sizes = new ResizeObserver(entries => {
  for (const e of entries) {
    const wrap = e.target.closest('.table-wrap');
    if (wrap) measure(wrap);
  }
});

/** Watches every .table-wrap under root, now and later. */
export function watchTables(root) {
  const scan = () => {
    for (const wrap of root.querySelectorAll('.table-wrap')) {
      if (frames.has(wrap)) continue;
      frames.add(wrap);
      sizes.observe(wrap);
      if (wrap.firstElementChild) sizes.observe(wrap.firstElementChild);
    }
  };
  new MutationObserver(scan).observe(root, { childList: true, subtree: true });
  scan();
}
