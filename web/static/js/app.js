// rhitprep's pages: a single-page application routed on the URL's hash.
// Each page module exports a render function that fills a fresh root
// element and may return a cleanup function (timers, key handlers).

import { api, onUnauthorized } from './api.js';
import { h, replace, clear, announce } from './dom.js';
import * as authPages from './pages/auth.js';
import * as startPage from './pages/start.js';
import * as examPage from './pages/exam.js';
import * as resultPage from './pages/result.js';
import * as progressPage from './pages/progress.js';
import * as instructorPages from './pages/instructor.js';

const STAFF = new Set(['instructor', 'admin']);

// Routes: a pattern of path segments (":name" captures one), the page,
// and who may see it.
const routes = [
  { pattern: 'login', render: authPages.renderLogin, access: 'guest' },
  { pattern: 'register', render: authPages.renderRegister, access: 'guest' },
  { pattern: '', render: startPage.render, access: 'user', nav: 'start' },
  { pattern: 'exam/:id', render: examPage.render, access: 'user', nav: 'start', exam: true },
  { pattern: 'result/:id', render: resultPage.render, access: 'user', nav: 'start' },
  { pattern: 'progress', render: progressPage.render, access: 'user', nav: 'progress' },
  { pattern: 'instructor', render: instructorPages.renderUpload, access: 'staff', nav: 'upload' },
  { pattern: 'instructor/upload', render: instructorPages.renderUpload, access: 'staff', nav: 'upload' },
  { pattern: 'instructor/sets', render: instructorPages.renderSets, access: 'staff', nav: 'sets' },
  { pattern: 'instructor/items', render: instructorPages.renderItems, access: 'staff', nav: 'items' },
  { pattern: 'instructor/learners', render: instructorPages.renderLearners, access: 'staff', nav: 'learners' },
];

const NAV = [
  { key: 'start', href: '#/', label: 'Practice' },
  { key: 'progress', href: '#/progress', label: 'Progress' },
  { key: 'upload', href: '#/instructor/upload', label: 'Upload', staff: true },
  { key: 'sets', href: '#/instructor/sets', label: 'Question sets', staff: true },
  { key: 'items', href: '#/instructor/items', label: 'Item analysis', staff: true },
  { key: 'learners', href: '#/instructor/learners', label: 'Learners', staff: true },
];

const app = {
  user: null,
  topicsCache: null,
  isStaff() {
    return Boolean(this.user && STAFF.has(this.user.role));
  },
  go(hash, { replace: rep = false } = {}) {
    if (rep) {
      history.replaceState(null, '', hash);
      route();
    } else if (location.hash === hash) {
      route();
    } else {
      location.hash = hash;
    }
  },
  async topics() {
    if (!this.topicsCache) {
      const data = await api.get('/topics');
      this.topicsCache = data.topics || [];
    }
    return this.topicsCache;
  },
  setTitle(title) {
    document.title = title ? `${title} · rhitprep` : 'rhitprep';
  },
  // focusHeading moves focus to the page's h1 so that keyboard and
  // screen-reader users start at the top of the new page.
  focusHeading(root) {
    const h1 = root.querySelector('h1');
    if (h1) {
      h1.setAttribute('tabindex', '-1');
      h1.focus({ preventScroll: false });
    }
  },
  async signIn(user) {
    this.user = user;
    this.topicsCache = null;
    renderChrome();
  },
  async signOut() {
    try {
      await api.post('/auth/logout');
    } catch {
      // The session may already be gone; the page forgets it either way.
    }
    this.user = null;
    renderChrome();
    announce('Signed out.');
    this.go('#/login');
  },
};

let current = null; // { cleanup, token }
let routeToken = 0;

function parseHash() {
  let raw = location.hash.replace(/^#\/?/, '');
  let query = '';
  const q = raw.indexOf('?');
  if (q >= 0) {
    query = raw.slice(q + 1);
    raw = raw.slice(0, q);
  }
  const path = raw.replace(/\/+$/, '');
  return { path, query: new URLSearchParams(query) };
}

function match(path) {
  const parts = path === '' ? [] : path.split('/');
  for (const r of routes) {
    const pat = r.pattern === '' ? [] : r.pattern.split('/');
    if (pat.length !== parts.length) continue;
    const params = {};
    let ok = true;
    for (let i = 0; i < pat.length; i++) {
      if (pat[i].startsWith(':')) {
        params[pat[i].slice(1)] = decodeURIComponent(parts[i]);
      } else if (pat[i] !== parts[i]) {
        ok = false;
        break;
      }
    }
    if (ok) return { route: r, params };
  }
  return null;
}

function renderChrome(activeNav) {
  const nav = document.getElementById('site-nav');
  const list = document.getElementById('nav-list');
  const account = document.getElementById('account');
  clear(list);
  clear(account);
  if (!app.user) {
    nav.hidden = true;
    return;
  }
  nav.hidden = false;
  for (const item of NAV) {
    if (item.staff && !app.isStaff()) continue;
    const a = h('a', { href: item.href }, item.label);
    if (item.key === activeNav) a.setAttribute('aria-current', 'page');
    list.appendChild(h('li', { class: item.staff ? 'nav-staff' : null }, a));
  }
  account.appendChild(h('span', { class: 'account-name' },
    h('span', { class: 'sr-only' }, 'Signed in as '), app.user.username,
    app.user.role !== 'learner' ? h('span', { class: 'role-tag' }, app.user.role) : null));
  account.appendChild(h('button', { type: 'button', class: 'btn btn-small btn-quiet', id: 'sign-out', on: { click: () => app.signOut() } }, 'Sign out'));
}

async function route() {
  const token = ++routeToken;
  if (current && current.cleanup) {
    try {
      current.cleanup();
    } catch (e) {
      console.error(e);
    }
  }
  current = { token, cleanup: null };
  const { path, query } = parseHash();
  const main = document.getElementById('main');
  const m = match(path);
  document.body.classList.remove('exam-mode');

  if (!m) {
    renderChrome();
    const root = h('div', { class: 'page' }, h('h1', null, 'Page not found'),
      h('p', null, 'There is no page at this address. ', h('a', { href: '#/' }, 'Go to the start page'), '.'));
    replace(main, root);
    app.setTitle('Page not found');
    app.focusHeading(root);
    return;
  }
  const { route: r, params } = m;
  if (r.access !== 'guest' && !app.user) {
    const next = location.hash && location.hash !== '#/' ? `?next=${encodeURIComponent(location.hash)}` : '';
    app.go(`#/login${next}`, { replace: true });
    return;
  }
  if (r.access === 'guest' && app.user) {
    app.go('#/', { replace: true });
    return;
  }
  if (r.access === 'staff' && !app.isStaff()) {
    renderChrome(r.nav);
    const root = h('div', { class: 'page' }, h('h1', null, 'Instructors only'),
      h('p', null, 'This page is for instructors and administrators. Your account is a learner account.'));
    replace(main, root);
    app.setTitle('Instructors only');
    app.focusHeading(root);
    return;
  }
  if (r.exam) document.body.classList.add('exam-mode');
  renderChrome(r.nav);
  const root = h('div', { class: r.exam ? 'page page-exam' : 'page' });
  replace(main, root);
  const ctx = {
    root,
    params,
    query,
    app,
    alive: () => token === routeToken,
  };
  try {
    const cleanup = await r.render(ctx);
    if (token !== routeToken) {
      if (typeof cleanup === 'function') cleanup();
      return;
    }
    current.cleanup = typeof cleanup === 'function' ? cleanup : null;
    if (!r.exam && !ctx.keepFocus) app.focusHeading(root);
  } catch (err) {
    if (token !== routeToken) return;
    if (err && err.status === 401) return; // the sign-in page takes over
    console.error(err);
    replace(root, h('h1', null, 'Something went wrong'),
      h('div', { class: 'notice notice-error', role: 'alert' }, h('p', null, (err && err.message) || 'The page could not be shown.')),
      h('p', null, h('button', { type: 'button', class: 'btn', on: { click: () => route() } }, 'Try again')));
    app.setTitle('Error');
    app.focusHeading(root);
  }
}

onUnauthorized(() => {
  if (!app.user) return;
  app.user = null;
  renderChrome();
  const { path } = parseHash();
  if (path === 'login' || path === 'register') return;
  announce('Your session has ended. Please sign in again.', true);
  app.go(`#/login?next=${encodeURIComponent(location.hash || '#/')}&expired=1`);
});

async function boot() {
  document.getElementById('skip-link').addEventListener('click', (e) => {
    e.preventDefault();
    document.getElementById('main').focus();
  });
  try {
    app.user = await api.get('/me');
  } catch {
    app.user = null;
  }
  window.addEventListener('hashchange', route);
  await route();
}

boot();
