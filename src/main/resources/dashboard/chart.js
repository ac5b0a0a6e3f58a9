// A small time-series line chart in SVG: no charting library, nothing fetched from elsewhere.
import {h} from './dom.js';

const NS = 'http://www.w3.org/2000/svg';
const H = 240, PAD = {left: 56, right: 16, top: 14, bottom: 30};

function s(tag, attrs, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v !== null && v !== undefined) el.setAttribute(k, String(v));
  }
  for (const c of children) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

/** Round steps (1, 2, 5 × 10^n) so the axis reads 0.80, 0.85 … rather than 0.8137. */
function ticks(lo, hi, n) {
  const raw = (hi - lo) / n;
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map(f => f * mag).find(x => raw <= x);
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(+v.toFixed(10));
  return out;
}

/** Dates for a long series, minutes for a day or two, seconds for a few minutes (UTC, as elsewhere). */
function timeLabel(t, span) {
  const iso = new Date(t).toISOString();
  if (span > 2 * 86400e3) return iso.slice(5, 10);
  if (span > 15 * 60e3) return iso.slice(5, 10) + ' ' + iso.slice(11, 16);
  return iso.slice(11, 19);
}

/**
 * series: [{name, cls, points: [{t: ms, v, title}]}]; hlines: [{v, label, cls}]; vlines: [{t, label, cls}];
 * y: {min, max, format}; width: the width in px it will be shown at (its drawing is made that wide, so
 * its text keeps its size instead of scaling with the picture). Returns a figure with the SVG and a
 * legend.
 */
export function lineChart({title, series, hlines = [], vlines = [], y = {}, id, width = 720}) {
  const W = Math.max(300, Math.round(width));
  const all = series.flatMap(x => x.points);
  const ts = all.map(p => p.t).concat(vlines.map(v => v.t));
  let t0 = Math.min(...ts), t1 = Math.max(...ts);
  // a little room on both sides, so the first and last points are not on the frame
  const room = Math.max((t1 - t0) * 0.04, 5e3);
  t0 -= room;
  t1 += room;
  const vs = all.map(p => p.v).concat(hlines.map(l => l.v)).filter(v => v !== null && v !== undefined);
  let v0 = y.min !== undefined ? Math.min(y.min, ...vs) : Math.min(...vs);
  let v1 = y.max !== undefined ? Math.max(y.max, ...vs) : Math.max(...vs);
  if (v1 - v0 < 1e-9) { v0 -= 0.5; v1 += 0.5; }
  const margin = (v1 - v0) * 0.08;
  if (y.min === undefined) v0 = Math.max(0, v0 - margin);
  if (y.max === undefined) v1 += margin;
  const fmt = y.format || (v => String(v));
  const X = t => PAD.left + (t - t0) / (t1 - t0) * (W - PAD.left - PAD.right);
  const Y = v => H - PAD.bottom - (v - v0) / (v1 - v0) * (H - PAD.top - PAD.bottom);

  const svg = s('svg', {viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-label': title});
  for (const v of ticks(v0, v1, 4)) {
    svg.append(s('line', {x1: PAD.left, x2: W - PAD.right, y1: Y(v), y2: Y(v), class: 'grid'}));
    svg.append(s('text', {x: PAD.left - 6, y: Y(v) + 4, class: 'tick', 'text-anchor': 'end'}, fmt(v)));
  }
  const xt = W < 480 ? 2 : 4;
  for (let i = 0; i <= xt; i++) {
    const t = t0 + (t1 - t0) * i / xt;
    svg.append(s('text', {x: X(t), y: H - 8, class: 'tick',
      'text-anchor': i === 0 ? 'start' : i === xt ? 'end' : 'middle'}, timeLabel(t, t1 - t0)));
  }
  for (const l of vlines) {
    svg.append(s('line', {x1: X(l.t), x2: X(l.t), y1: PAD.top, y2: H - PAD.bottom, class: 'vline ' + (l.cls || '')},
      s('title', null, l.label)));
    svg.append(s('text', {x: X(l.t) + 3, y: PAD.top + 10, class: 'vlabel'}, 'rebuild'));
  }
  for (const l of hlines) {
    svg.append(s('line', {x1: PAD.left, x2: W - PAD.right, y1: Y(l.v), y2: Y(l.v), class: 'hline ' + (l.cls || '')},
      s('title', null, l.label)));
  }
  for (const x of series) {
    const pts = x.points.filter(p => p.v !== null && p.v !== undefined).sort((a, b) => a.t - b.t);
    if (pts.length > 1) {
      svg.append(s('polyline', {points: pts.map(p => `${X(p.t).toFixed(1)},${Y(p.v).toFixed(1)}`).join(' '),
        class: 'line ' + x.cls}));
    }
    for (const p of pts) {
      svg.append(s('circle', {cx: X(p.t), cy: Y(p.v), r: 3.5, class: 'dot ' + x.cls},
        s('title', null, p.title || `${x.name}: ${fmt(p.v)}`)));
    }
  }
  const legend = h('ul', {class: 'legend'},
    series.map(x => h('li', null, h('span', {class: 'swatch ' + x.cls}), x.name)),
    hlines.map(l => h('li', null, h('span', {class: 'swatch dashed ' + (l.cls || '')}), l.label)),
    vlines.length ? h('li', null, h('span', {class: 'swatch vmark'}), `index rebuilt (${vlines.length})`) : null);
  return h('figure', {class: 'chart-box', id}, h('figcaption', null, title), svg, legend);
}
