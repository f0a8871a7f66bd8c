// Sends per minute: counts are bucketed by the minute they were first seen (from progress deltas),
// drawn as inline SVG bars — sent stacked with failed — over the last 30 minutes.
import { h, s } from './dom.js';
import { clock, viewerZone, zoneLabel } from './format.js';

const MINUTES = 30;

export class SendRate {
  constructor() {
    this.buckets = new Map(); // minute epoch → {sent, failed}
    this.last = null;
  }

  /** Feeds a progress snapshot; the first one only sets the baseline. */
  observe(p, at = Date.now()) {
    if (this.last) {
      const sent = Math.max(0, p.sent - this.last.sent);
      const failed = Math.max(0, p.failed - this.last.failed);
      if (sent || failed) {
        const m = Math.floor(at / 60000);
        const b = this.buckets.get(m) || { sent: 0, failed: 0 };
        b.sent += sent;
        b.failed += failed;
        this.buckets.set(m, b);
      }
    }
    this.last = { sent: p.sent, failed: p.failed };
  }

  series(now = Date.now()) {
    const end = Math.floor(now / 60000);
    const out = [];
    for (let m = end - MINUTES + 1; m <= end; m++) out.push({ minute: m, ...(this.buckets.get(m) || { sent: 0, failed: 0 }) });
    return out;
  }
}

const niceMax = v => {
  if (v <= 5) return 5;
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 5, 10].map(k => k * p).find(k => k >= v);
};

/** An SVG bar chart of the series; width scales with its container. */
export function rateChart(series) {
  const W = 600; const H = 180; const L = 34; const B = 22; const T = 10;
  const max = niceMax(Math.max(...series.map(x => x.sent + x.failed), 0));
  const bw = (W - L) / series.length;
  const y = v => H - B - (v / max) * (H - B - T);
  const fmt = m => clock(new Date(m * 60000)); // the viewer's zone, named under the axis
  const nodes = [];
  for (const v of [0, max / 2, max]) {
    nodes.push(s('line', { class: 'axis', x1: L, x2: W, y1: y(v), y2: y(v), 'stroke-dasharray': v ? '3 4' : null }));
    nodes.push(s('text', { x: L - 6, y: y(v) + 3, 'text-anchor': 'end' }, String(Math.round(v))));
  }
  series.forEach((x, i) => {
    const x0 = L + i * bw + bw * 0.18;
    const w = bw * 0.64;
    if (x.sent) nodes.push(s('rect', { x: x0, y: y(x.sent), width: w, height: y(0) - y(x.sent), rx: 2, fill: '#2e9e68' },
      s('title', null, `${fmt(x.minute)} — ${x.sent} sent, ${x.failed} failed`)));
    if (x.failed) nodes.push(s('rect', { x: x0, y: y(x.sent + x.failed), width: w, height: y(x.sent) - y(x.sent + x.failed), rx: 2, fill: '#d9483b' }));
    const lastOne = i === series.length - 1;
    if ((i % 5 === 4 && i < series.length - 3) || lastOne) nodes.push(s('text', { x: lastOne ? W : x0 + w / 2, y: H - 6, 'text-anchor': lastOne ? 'end' : 'middle' }, lastOne ? 'now' : fmt(x.minute)));
  });
  const zone = zoneLabel(viewerZone());
  nodes.push(s('text', { x: 0, y: H - 6, 'text-anchor': 'start', class: 'chart-zone' }, zone));
  return s('svg', { class: 'chart', viewBox: `0 0 ${W} ${H}`, role: 'img',
    'aria-label': `Sends per minute over the last 30 minutes, times in ${zone}` }, nodes);
}

export const legend = () => h('div', { class: 'legend' },
  h('span', null, h('i', { class: 'dot seg-sent' }), 'Sent'),
  h('span', null, h('i', { class: 'dot seg-failed' }), 'Failed'));
