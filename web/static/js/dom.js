// Small DOM helpers. Every piece of data goes into the page as text
// (textContent or a text node), never as HTML: question text, set names and
// server messages are untrusted.

const SVG_NS = 'http://www.w3.org/2000/svg';

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) {
      append(el, c);
    } else if (c instanceof Node) {
      el.appendChild(c);
    } else {
      el.appendChild(document.createTextNode(String(c)));
    }
  }
}

function setAttrs(el, attrs) {
  if (!attrs) return;
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') {
      el.setAttribute('class', Array.isArray(v) ? v.filter(Boolean).join(' ') : v);
    } else if (k === 'text') {
      el.textContent = String(v);
    } else if (k === 'on') {
      for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn);
    } else if (k === 'dataset') {
      for (const [dk, dv] of Object.entries(v)) el.dataset[dk] = String(dv);
    } else if (k === 'value' && 'value' in el && !(el instanceof SVGElement)) {
      el.value = v;
    } else if (k === 'checked' || k === 'disabled' || k === 'selected' || k === 'hidden' || k === 'required' || k === 'multiple') {
      el[k] = Boolean(v);
    } else if (v === true) {
      el.setAttribute(k, '');
    } else {
      el.setAttribute(k, String(v));
    }
  }
}

// h builds an HTML element: h('p', {class: 'x'}, 'text', child, ...).
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

// s builds an SVG element.
export function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export function replace(el, ...children) {
  clear(el);
  append(el, children);
  return el;
}

let uid = 0;
// id returns a fresh element id with the given prefix.
export function id(prefix = 'id') {
  uid += 1;
  return `${prefix}-${uid}`;
}

// announce speaks a message through a live region. polite for status,
// assertive for warnings that must interrupt (time warnings).
export function announce(message, assertive = false) {
  const region = document.getElementById(assertive ? 'assertive' : 'polite');
  if (!region) return;
  region.textContent = '';
  // A fresh text node after a tick makes screen readers repeat a message
  // that is the same as the last one.
  setTimeout(() => { region.textContent = message; }, 30);
}

export function fmtPercent(p, digits = 0) {
  if (p === null || p === undefined || Number.isNaN(p)) return '–';
  return `${Number(p).toFixed(digits)}%`;
}

export function fmtNumber(n, digits = 0) {
  if (n === null || n === undefined || Number.isNaN(n)) return '–';
  const x = Number(n);
  return Number.isInteger(x) && digits === 0 ? String(x) : x.toFixed(digits).replace(/\.?0+$/, '');
}

export function fmtDate(iso) {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '–';
  return d.toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

export function fmtShortDate(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
}

// fmtDuration renders seconds as h:mm:ss or m:ss.
export function fmtDuration(total) {
  const t = Math.max(0, Math.floor(total));
  const hrs = Math.floor(t / 3600);
  const min = Math.floor((t % 3600) / 60);
  const sec = t % 60;
  const pad = (n) => String(n).padStart(2, '0');
  return hrs > 0 ? `${hrs}:${pad(min)}:${pad(sec)}` : `${min}:${pad(sec)}`;
}

// spokenDuration renders seconds as words for screen readers.
export function spokenDuration(total) {
  const t = Math.max(0, Math.floor(total));
  const hrs = Math.floor(t / 3600);
  const min = Math.floor((t % 3600) / 60);
  const sec = t % 60;
  const parts = [];
  if (hrs) parts.push(`${hrs} hour${hrs === 1 ? '' : 's'}`);
  if (min) parts.push(`${min} minute${min === 1 ? '' : 's'}`);
  if (!hrs && (sec || !min)) parts.push(`${sec} second${sec === 1 ? '' : 's'}`);
  return parts.join(' ');
}

// field builds a labelled form control with an optional hint.
export function field({ label, input, hint, className }) {
  const inputId = input.id || id('f');
  input.id = inputId;
  const kids = [h('label', { for: inputId }, label)];
  if (hint) {
    const hintId = `${inputId}-hint`;
    kids.push(h('p', { class: 'hint', id: hintId }, hint));
    const prev = input.getAttribute('aria-describedby');
    input.setAttribute('aria-describedby', prev ? `${prev} ${hintId}` : hintId);
  }
  kids.push(input);
  return h('div', { class: ['field', className] }, kids);
}

// errorBox is a region that shows an error and is announced when filled.
export function errorBox() {
  const el = h('div', { class: 'notice notice-error', role: 'alert', hidden: true });
  el.show = (message, details) => {
    replace(el, h('p', null, message));
    if (details && details.length) {
      el.appendChild(h('ul', null, details.map((d) => h('li', null, describeDetail(d)))));
    }
    el.hidden = false;
  };
  el.hide = () => { el.hidden = true; clear(el); };
  return el;
}

export function describeDetail(d) {
  const where = [];
  if (d.line) where.push(`line ${d.line}`);
  if (d.item) where.push(`item ${d.item}`);
  if (d.field) where.push(d.field);
  return where.length ? `${where.join(', ')}: ${d.message}` : d.message;
}

export const TOPIC_NAMES = {
  terminology: 'Medical terminology',
  coding: 'Classification and coding',
  regulations: 'Healthcare regulations',
  'release-of-information': 'Release of information',
  statistics: 'Healthcare statistics',
};

export function topicName(id, topics) {
  if (topics) {
    const t = topics.find((x) => x.id === id);
    if (t) return t.name;
  }
  return TOPIC_NAMES[id] || id;
}

export const MODE_NAMES = {
  mock: 'Mock exam',
  quiz: 'Topic quiz',
  review: 'Review',
  missed: 'Missed questions',
};

export function modeName(m) {
  return MODE_NAMES[m] || m;
}
