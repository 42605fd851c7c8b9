// Sign in and register.

import { api } from '../api.js';
import { h, field, errorBox, announce } from '../dom.js';

function nextHash(query) {
  const next = query.get('next');
  // Only a hash route of this app; never another address.
  if (next && /^#\/[A-Za-z0-9/_?=&.%-]*$/.test(next) && !next.startsWith('#/login') && !next.startsWith('#/register')) {
    return next;
  }
  return '#/';
}

async function login(app, username, password) {
  const data = await api.post('/auth/login', { username, password });
  await app.signIn(data.user);
}

function passwordToggle(input) {
  const btn = h('button', { type: 'button', class: 'btn btn-small btn-quiet', 'aria-pressed': 'false', 'aria-controls': input.id }, 'Show password');
  btn.addEventListener('click', () => {
    const show = input.type === 'password';
    input.type = show ? 'text' : 'password';
    btn.setAttribute('aria-pressed', String(show));
    btn.textContent = show ? 'Hide password' : 'Show password';
  });
  return btn;
}

export async function renderLogin({ root, app, query }) {
  app.setTitle('Sign in');
  const err = errorBox();
  const user = h('input', { id: 'login-username', name: 'username', type: 'text', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false' });
  const pass = h('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', id: 'login-submit' }, 'Sign in');
  const form = h('form', { class: 'card form-narrow', novalidate: true, 'aria-labelledby': 'login-h' },
    err,
    field({ label: 'Username', input: user }),
    field({ label: 'Password', input: pass }),
    h('div', { class: 'field-inline' }, passwordToggle(pass)),
    h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    err.hide();
    if (!user.value.trim() || !pass.value) {
      err.show('Enter your username and password.');
      (user.value.trim() ? pass : user).focus();
      return;
    }
    submit.disabled = true;
    submit.textContent = 'Signing in…';
    try {
      await login(app, user.value.trim(), pass.value);
      announce(`Signed in as ${user.value.trim()}.`);
      app.go(nextHash(query));
    } catch (ex) {
      err.show(ex.message);
      pass.select();
      pass.focus();
    } finally {
      submit.disabled = false;
      submit.textContent = 'Sign in';
    }
  });
  const expired = query.get('expired') ? h('p', { class: 'notice notice-info' }, 'Your session ended. Sign in again to carry on where you left off; your answers are saved.') : null;
  root.append(
    h('div', { class: 'auth-layout' },
      h('div', { class: 'auth-intro' },
        h('h1', { id: 'login-h' }, 'Sign in'),
        h('p', { class: 'lead' }, 'Practise for the RHIT exam: timed mock exams like the test centre, topic quizzes with feedback, and your progress at a glance.'),
        expired),
      h('div', null, form,
        h('p', { class: 'form-foot' }, 'New here? ', h('a', { href: '#/register', id: 'to-register' }, 'Create an account'), '.'))));
}

export async function renderRegister({ root, app }) {
  app.setTitle('Create an account');
  const err = errorBox();
  const user = h('input', { id: 'reg-username', name: 'username', type: 'text', autocomplete: 'username', required: true, minlength: 3, maxlength: 64, pattern: '[A-Za-z0-9._\\-]{3,64}', autocapitalize: 'none', spellcheck: 'false' });
  const pass = h('input', { id: 'reg-password', name: 'password', type: 'password', autocomplete: 'new-password', required: true, minlength: 8 });
  const pass2 = h('input', { id: 'reg-password2', name: 'password2', type: 'password', autocomplete: 'new-password', required: true, minlength: 8 });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', id: 'reg-submit' }, 'Create account');
  const form = h('form', { class: 'card form-narrow', novalidate: true, 'aria-labelledby': 'reg-h' },
    err,
    field({ label: 'Username', input: user, hint: '3 to 64 letters, digits, dots, hyphens or underscores.' }),
    field({ label: 'Password', input: pass, hint: 'At least 8 characters.' }),
    field({ label: 'Repeat the password', input: pass2 }),
    h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    err.hide();
    for (const el of [user, pass, pass2]) el.removeAttribute('aria-invalid');
    const name = user.value.trim();
    const problems = [];
    let first = null;
    if (!/^[A-Za-z0-9._-]{3,64}$/.test(name)) {
      problems.push({ message: 'The username must be 3 to 64 letters, digits, dots, hyphens or underscores.' });
      user.setAttribute('aria-invalid', 'true');
      first = first || user;
    }
    if (pass.value.length < 8) {
      problems.push({ message: 'The password must have at least 8 characters.' });
      pass.setAttribute('aria-invalid', 'true');
      first = first || pass;
    } else if (pass.value !== pass2.value) {
      problems.push({ message: 'The two passwords differ.' });
      pass2.setAttribute('aria-invalid', 'true');
      first = first || pass2;
    }
    if (problems.length) {
      err.show('Please correct this:', problems);
      first.focus();
      return;
    }
    submit.disabled = true;
    submit.textContent = 'Creating…';
    try {
      await api.post('/auth/register', { username: name, password: pass.value });
      await login(app, name, pass.value);
      announce(`Account created. Signed in as ${name}.`);
      app.go('#/');
    } catch (ex) {
      err.show(ex.message, ex.details);
      if (ex.status === 409) user.focus();
    } finally {
      submit.disabled = false;
      submit.textContent = 'Create account';
    }
  });
  root.append(
    h('div', { class: 'auth-layout' },
      h('div', { class: 'auth-intro' },
        h('h1', { id: 'reg-h' }, 'Create an account'),
        h('p', { class: 'lead' }, 'A learner account lets you take mock exams and quizzes and keeps your progress.')),
      h('div', null, form,
        h('p', { class: 'form-foot' }, 'Already have an account? ', h('a', { href: '#/login' }, 'Sign in'), '.'))));
}
