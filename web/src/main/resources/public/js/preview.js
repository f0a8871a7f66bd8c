// The HTML preview of a message, shown in a sandboxed frame (no scripts, no forms, no navigation of the
// console). The console's Content-Security-Policy refuses style attributes and <style> blocks — which
// email HTML is full of — and a frame built here inherits that policy. So the template's styles are taken
// out of its text before it is parsed and re-applied through CSSOM (element.style and constructed style
// sheets), which the policy allows. The frame shares the console's origin only so that this code can build its document.
// Remote images, fonts and style sheets are not loaded (the policy allows only this origin).

const BASE_CSS = 'body { font: 14px/1.5 system-ui, sans-serif; color: #1d2430; margin: 16px; } '
  + 'img[data-remote-src] { outline: 1px dashed #a3acb9; min-width: 24px; min-height: 24px; }';
const DROPPED = 'script, link, meta, base, iframe, frame, object, embed';

const STYLE_ATTR = 'data-preview-style';

/**
 * Parsing reports style attributes and <style> blocks to the policy, even in an inert document, so they are
 * renamed or cut out of the text first. Like the HTML tokenizer, a style block ends at the first </style.
 */
function parseWithoutStyles(html, css) {
  const rest = html
    .replace(/<style\b[^>]*>([\s\S]*?)(<\/style[^>]*>|$)/gi, (_, text) => { css.push(text); return ''; })
    .replace(/(<[a-z][^>]*?\s)style(\s*=)/gi, `$1${STYLE_ATTR}$2`);
  return new DOMParser().parseFromString(rest, 'text/html');
}

function holdRemoteImages(root) {
  for (const img of root.querySelectorAll('img')) {
    const src = img.getAttribute('src') || '';
    if (/^[a-z][a-z0-9+.-]*:/i.test(src) || src.startsWith('//')) {
      img.dataset.remoteSrc = src;
      img.removeAttribute('src');
    }
    img.removeAttribute('srcset');
  }
}

/** Shows html (already rendered for one recipient) in frame, an iframe sandboxed with allow-same-origin. */
export function showPreview(frame, html) {
  const doc = frame.contentDocument;
  if (!doc || !doc.body) return;
  const css = [BASE_CSS];
  const parsed = parseWithoutStyles(html, css);
  parsed.querySelectorAll(DROPPED).forEach(el => el.remove());
  holdRemoteImages(parsed.body);
  const FrameSheet = frame.contentWindow.CSSStyleSheet;
  doc.adoptedStyleSheets = css.map(text => {
    const sheet = new FrameSheet();
    sheet.replaceSync(text.replace(/@import[^;]*;/g, ''));
    return sheet;
  });
  doc.body.replaceChildren(...parsed.body.childNodes);
  doc.body.style.cssText = parsed.body.getAttribute(STYLE_ATTR) || '';
  for (const el of doc.body.querySelectorAll(`[${STYLE_ATTR}]`)) {
    el.style.cssText = el.getAttribute(STYLE_ATTR);
    el.removeAttribute(STYLE_ATTR);
  }
}
