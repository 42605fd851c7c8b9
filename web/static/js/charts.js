// Charts as inline SVG built here, so the pages need no library and no
// asset from another host. Each chart is an image with a spoken summary
// (role="img" and aria-label) and the same numbers as a table under a
// disclosure, for people who would rather read than look.
//
// Charts are drawn at the pixel width of their container (re-drawn when it
// changes), so text stays legible on a phone instead of being scaled down
// with a fixed viewBox.

import { h, s, replace } from './dom.js';

function responsive(build) {
  const box = h('div', { class: 'chart-box' });
  let lastWidth = 0;
  const draw = (width) => {
    const w = Math.max(260, Math.min(1100, Math.floor(width)));
    if (Math.abs(w - lastWidth) < 8) return;
    lastWidth = w;
    replace(box, build(w));
  };
  draw(640);
  if (typeof ResizeObserver === 'function') {
    const ro = new ResizeObserver((entries) => {
      for (const e of entries) {
        if (e.contentRect.width > 0) draw(e.contentRect.width);
      }
    });
    ro.observe(box);
  }
  return box;
}

export function dataTable(caption, headers, rows) {
  return h('details', { class: 'chart-table' },
    h('summary', null, 'Show the numbers as a table'),
    h('div', { class: 'table-wrap' },
      h('table', null,
        h('caption', { class: 'sr-only' }, caption),
        h('thead', null, h('tr', null, headers.map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', null, rows.map((r) => h('tr', null, r.map((c, i) => (i === 0 ? h('th', { scope: 'row' }, c) : h('td', null, c)))))))));
}

// barChart draws one horizontal bar per row, the label above its bar.
// rows: [{label, value, text, className, marker, markerLabel}], value on a
// 0..max scale; reference: {value, label} draws a dashed line.
export function barChart({ title, summary, rows, max = 100, unit = '%', reference, tableHeaders, tableRows }) {
  const build = (W) => {
    const padL = 4;
    const padR = 8;
    const top = reference ? 24 : 8;
    // Wide: the value sits at the end of its bar's line, so labels get the
    // whole width above their bar. Narrow (phones): the value goes on a
    // line of its own under the bar, which then gets the whole width.
    const narrow = W < 520;
    const rowH = narrow ? 70 : 50;
    const axisH = 24;
    const longest = Math.max(...rows.map((r) => String(r.text).length), 4);
    const valueW = narrow ? 0 : Math.min(Math.round(W * 0.45), longest * 8 + 12);
    const right = W - padR - valueW;
    const H = top + rows.length * rowH + axisH;
    const x = (v) => padL + (Math.max(0, Math.min(max, v)) / max) * (right - padL);
    const maxChars = Math.max(8, Math.floor((W - padL - padR) / 8.2));
    const svg = s('svg', { class: 'chart', width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': summary || title, focusable: 'false' });
    const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * max);
    for (const t of ticks) {
      svg.appendChild(s('line', { class: 'grid', x1: x(t), x2: x(t), y1: top, y2: H - axisH + 4 }));
      const anchor = t === 0 ? 'start' : t === max ? 'end' : 'middle';
      svg.appendChild(s('text', { class: 'axis-label', x: x(t), y: H - 6, 'text-anchor': anchor }, `${Math.round(t)}${unit}`));
    }
    // The reference line goes under the bars and labels, so it never
    // strikes through text.
    if (reference) {
      const rx = x(reference.value);
      svg.appendChild(s('line', { class: 'ref-line', x1: rx, x2: rx, y1: top - 4, y2: H - axisH + 4 }));
      const anchor = rx > right - 40 ? 'end' : rx < 60 ? 'start' : 'middle';
      svg.appendChild(s('text', { class: 'ref-label', x: rx, y: 14, 'text-anchor': anchor }, reference.label));
    }
    rows.forEach((r, i) => {
      const y = top + i * rowH;
      const label = String(r.label);
      const shown = label.length > maxChars ? `${label.slice(0, maxChars - 1)}…` : label;
      svg.appendChild(s('text', { class: 'bar-label', x: padL, y: y + 16 }, shown, shown !== label ? s('title', null, label) : null));
      svg.appendChild(s('rect', { class: 'bar-track', x: padL, y: y + 23, width: right - padL, height: 16, rx: 3 }));
      const bw = Math.max(0, x(r.value) - padL);
      svg.appendChild(s('rect', { class: ['bar', r.className], x: padL, y: y + 23, width: bw, height: 16, rx: 3 },
        s('title', null, `${label}: ${r.text}`)));
      if (Array.isArray(r.range) && r.range.length === 2) {
        const [lo, hi] = r.range;
        svg.appendChild(s('line', { class: 'bar-range', x1: x(lo), x2: x(hi), y1: y + 31, y2: y + 31 }));
        svg.appendChild(s('line', { class: 'bar-range', x1: x(lo), x2: x(lo), y1: y + 26, y2: y + 36 }));
        svg.appendChild(s('line', { class: 'bar-range', x1: x(hi), x2: x(hi), y1: y + 26, y2: y + 36 }));
      }
      if (r.marker !== undefined && r.marker !== null) {
        const mx = x(r.marker);
        svg.appendChild(s('path', { class: 'bar-marker', d: `M${mx - 6} ${y + 19} L${mx + 6} ${y + 19} L${mx} ${y + 27} Z` },
          s('title', null, r.markerLabel || '')));
      }
      if (narrow) svg.appendChild(s('text', { class: 'bar-value', x: padL, y: y + 56 }, r.text));
      else svg.appendChild(s('text', { class: 'bar-value', x: W - padR, y: y + 36, 'text-anchor': 'end' }, r.text));
    });
    return svg;
  };
  const headers = tableHeaders || ['Group', 'Value'];
  const trows = tableRows || rows.map((r) => [r.label, r.text]);
  return h('figure', { class: 'chart-figure' },
    title ? h('figcaption', null, title) : null,
    responsive(build),
    dataTable(title || summary, headers, trows));
}

// lineChart draws values over time. points: [{label, value, detail}] in
// order; values on 0..max.
export function lineChart({ title, summary, points, max = 100, unit = '%', reference, tableHeaders, tableRows }) {
  const build = (W) => {
    const H = 240;
    const padL = 40;
    const padR = 16;
    const padT = 16;
    const padB = 36;
    const n = points.length;
    const x = (i) => (n === 1 ? (padL + W - padR) / 2 : padL + (i / (n - 1)) * (W - padL - padR));
    const y = (v) => padT + (1 - Math.max(0, Math.min(max, v)) / max) * (H - padT - padB);
    const svg = s('svg', { class: 'chart', width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': summary || title, focusable: 'false' });
    for (const f of [0, 0.25, 0.5, 0.75, 1]) {
      const v = f * max;
      svg.appendChild(s('line', { class: 'grid', x1: padL, x2: W - padR, y1: y(v), y2: y(v) }));
      svg.appendChild(s('text', { class: 'axis-label', x: padL - 6, y: y(v) + 4, 'text-anchor': 'end' }, `${Math.round(v)}${unit}`));
    }
    if (reference) {
      svg.appendChild(s('line', { class: 'ref-line', x1: padL, x2: W - padR, y1: y(reference.value), y2: y(reference.value) }));
      svg.appendChild(s('text', { class: 'ref-label', x: W - padR, y: y(reference.value) - 6, 'text-anchor': 'end' }, reference.label));
    }
    if (n > 1) {
      const d = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)} ${y(p.value).toFixed(1)}`).join(' ');
      svg.appendChild(s('path', { class: 'trend-line', d }));
    }
    points.forEach((p, i) => {
      svg.appendChild(s('circle', { class: ['trend-point', p.className], cx: x(i), cy: y(p.value), r: 5 },
        s('title', null, `${p.label}: ${p.detail || p.value}`)));
    });
    // Date labels: first, last and a few between, never overlapping.
    const maxLabels = Math.max(2, Math.floor((W - padL - padR) / 90));
    const step = Math.max(1, Math.ceil(n / maxLabels));
    points.forEach((p, i) => {
      if (i % step !== 0 && i !== n - 1) return;
      if (i !== n - 1 && n - 1 - i < step) return;
      const anchor = n === 1 ? 'middle' : i === 0 ? 'start' : i === n - 1 ? 'end' : 'middle';
      svg.appendChild(s('text', { class: 'axis-label', x: x(i), y: H - 12, 'text-anchor': anchor }, p.short || p.label));
    });
    return svg;
  };
  return h('figure', { class: 'chart-figure' },
    title ? h('figcaption', null, title) : null,
    responsive(build),
    dataTable(title || summary, tableHeaders || ['When', 'Value'], tableRows || points.map((p) => [p.label, p.detail || String(p.value)])));
}

// scaleGauge shows an estimate on a scale with a pass mark and, when
// known, its uncertainty as a band.
export function scaleGauge({ summary, min = 100, max = 400, pass = 300, value, low, high }) {
  const build = (W) => {
    const H = 84;
    const padL = 14;
    const padR = 14;
    const x = (v) => padL + ((Math.max(min, Math.min(max, v)) - min) / (max - min)) * (W - padL - padR);
    const svg = s('svg', { class: 'chart gauge', width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': summary, focusable: 'false' });
    svg.appendChild(s('rect', { class: 'gauge-fail', x: padL, y: 30, width: x(pass) - padL, height: 14, rx: 3 }));
    svg.appendChild(s('rect', { class: 'gauge-pass', x: x(pass), y: 30, width: W - padR - x(pass), height: 14, rx: 3 }));
    if (low !== undefined && high !== undefined && low !== null && high !== null) {
      svg.appendChild(s('rect', { class: 'gauge-band', x: x(low), y: 24, width: Math.max(2, x(high) - x(low)), height: 26, rx: 4 }));
    }
    svg.appendChild(s('line', { class: 'ref-line', x1: x(pass), x2: x(pass), y1: 20, y2: 54 }));
    svg.appendChild(s('text', { class: 'ref-label', x: x(pass), y: 14, 'text-anchor': 'middle' }, `Pass ${pass}`));
    if (value !== undefined && value !== null) {
      svg.appendChild(s('path', { class: 'gauge-marker', d: `M${x(value) - 8} 18 L${x(value) + 8} 18 L${x(value)} 30 Z` }));
      svg.appendChild(s('line', { class: 'gauge-needle', x1: x(value), x2: x(value), y1: 28, y2: 48 }));
    }
    for (const t of [min, pass, max]) {
      const anchor = t === min ? 'start' : t === max ? 'end' : 'middle';
      svg.appendChild(s('text', { class: 'axis-label', x: x(t), y: 70, 'text-anchor': anchor }, String(t)));
    }
    return svg;
  };
  return responsive(build);
}
