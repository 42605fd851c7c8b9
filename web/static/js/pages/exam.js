// The exam runner, shaped like the test-centre screen: "Question n of N",
// the server's remaining time (hideable, with warnings at 30 and 5 minutes
// and automatic submission at the deadline), flag for review,
// previous/next, a review screen with jumps, select-N items, strike-out,
// and the keyboard for everything.
//
// Every change is saved at once with PUT /exams/{id}/items/{position}; the
// state shown comes from GET /exams/{id}, so a reload or a server restart
// loses nothing. What the server does not keep (questions seen, struck-out
// options, the question on screen) is kept in localStorage.

import { api } from '../api.js';
import { h, replace, clear, announce, fmtDuration, spokenDuration, modeName, topicName } from '../dom.js';
import * as store from '../store.js';

const WARNINGS = [1800, 300];

function hasResponse(r) {
  if (r === null || r === undefined) return false;
  if (Array.isArray(r)) return r.length > 0;
  return true;
}

function choicesOf(r) {
  return Array.isArray(r) ? r : [];
}

// parseNumber reads what a learner typed as a number: "88.89", "-3",
// "1,234.5", "12 %". It returns null when it is not a number.
export function parseNumber(text) {
  let t = String(text).trim().replace(/\s+/g, '').replace(/%$/, '');
  if (/^[-+]?\d{1,3}(,\d{3})+(\.\d*)?$/.test(t)) t = t.replace(/,/g, '');
  if (!/^[-+]?(\d+\.?\d*|\.\d+)$/.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

// Saver sends saves one at a time, newest value per position, retrying
// when the network or the server fails, and reports its state.
class Saver {
  constructor(examId, { onSaved, onRejected, onClosed, onStatus }) {
    this.examId = examId;
    this.pending = new Map();
    this.inflight = null;
    this.retryTimer = null;
    this.tries = 0;
    this.error = null;
    this.onSaved = onSaved;
    this.onRejected = onRejected;
    this.onClosed = onClosed;
    this.onStatus = onStatus;
    this.waiters = [];
    this.stopped = false;
  }

  queue(pos, patch) {
    if (this.stopped) return;
    const p = this.pending.get(pos) || {};
    Object.assign(p, patch);
    this.pending.set(pos, p);
    this.report();
    this.pump();
  }

  busy() {
    return this.pending.size > 0 || this.inflight !== null;
  }

  state() {
    if (this.error && this.pending.size > 0) return 'error';
    if (this.busy()) return 'saving';
    if (this.error) return 'error';
    return 'saved';
  }

  report() {
    this.onStatus(this.state(), this.error, this.retryTimer !== null);
  }

  pump() {
    if (this.inflight || this.retryTimer || this.stopped) return;
    const first = this.pending.entries().next();
    if (first.done) {
      this.report();
      this.settle();
      return;
    }
    const [pos, payload] = first.value;
    this.pending.delete(pos);
    this.inflight = api.put(`/exams/${encodeURIComponent(this.examId)}/items/${pos}`, payload).then((res) => {
      this.tries = 0;
      this.error = null;
      this.onSaved(pos, res, this.pending.has(pos));
    }, (err) => {
      if (err.status === 409) {
        this.pending.clear();
        this.error = err.message;
        this.onClosed(err);
        return;
      }
      const retry = err.status === 0 || err.status >= 500 || err.status === 429 || err.status === 401 || err.status === 403;
      if (retry) {
        const newer = this.pending.get(pos);
        this.pending.delete(pos);
        this.pending.set(pos, Object.assign({}, payload, newer || {}));
        this.tries += 1;
        this.error = err.message;
        const delay = Math.min(30000, 1000 * 2 ** Math.min(this.tries, 5));
        this.retryTimer = setTimeout(() => {
          this.retryTimer = null;
          this.pump();
        }, delay);
      } else {
        this.error = `Question ${pos}: ${err.message}`;
        this.onRejected(pos, err);
      }
    }).finally(() => {
      this.inflight = null;
      this.report();
      this.pump();
    });
    // Reported only now that the request is in flight, so the state never
    // reads "saved" while an answer is on its way.
    this.report();
  }

  retryNow() {
    if (this.retryTimer) {
      clearTimeout(this.retryTimer);
      this.retryTimer = null;
    }
    this.pump();
  }

  settle() {
    const w = this.waiters;
    this.waiters = [];
    for (const fn of w) fn();
  }

  // flush resolves once nothing is waiting to be saved, or after timeoutMs.
  flush(timeoutMs) {
    if (!this.busy()) return Promise.resolve(true);
    this.retryNow();
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(false), timeoutMs);
      this.waiters.push(() => {
        clearTimeout(t);
        resolve(true);
      });
    });
  }

  stop() {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }
}

class Runner {
  constructor(ctx, exam) {
    this.ctx = ctx;
    this.app = ctx.app;
    this.exam = exam;
    this.id = exam.id;
    this.items = exam.items;
    this.n = exam.items.length;
    this.immediate = exam.feedback === 'immediate';
    const saved = store.load(this.id, 'pos', 0);
    this.idx = Number.isInteger(saved) && saved >= 0 && saved < this.n ? saved : 0;
    this.seen = new Set(store.load(this.id, 'seen', []));
    this.strikes = store.load(this.id, 'strike', {});
    this.drafts = store.load(this.id, 'draft', {});
    this.warned = store.load(this.id, 'warned', {});
    this.hideTimer = store.pref('hideTimer', false);
    this.view = 'question';
    this.filter = 'all';
    this.submitting = false;
    this.closed = false;
    this.numericTimer = null;
    this.disposers = [];
    this.setClock(exam);
    this.saver = new Saver(this.id, {
      onSaved: (pos, res, newer) => this.saved(pos, res, newer),
      onRejected: (pos) => this.resync(true, pos),
      onClosed: () => this.closedByServer(),
      onStatus: (state, error, retrying) => this.showSaveState(state, error, retrying),
    });
  }

  // setClock takes the remaining time from a server view.
  setClock(view) {
    if (view.deadline && view.time_remaining_s !== null && view.time_remaining_s !== undefined) {
      this.timed = true;
      this.base = { at: performance.now(), left: view.time_remaining_s };
      const total = (Date.parse(view.deadline) - Date.parse(view.started_at)) / 1000;
      this.total = Number.isFinite(total) ? total : view.time_remaining_s;
    } else {
      this.timed = false;
    }
  }

  remaining() {
    if (!this.timed) return Infinity;
    return Math.max(0, this.base.left - (performance.now() - this.base.at) / 1000);
  }

  item() {
    return this.items[this.idx];
  }

  mount() {
    const root = this.ctx.root;
    this.app.setTitle(`${modeName(this.exam.mode)} in progress`);

    this.heading = h('h1', { id: 'qcount', class: 'qcount', tabindex: '-1' });
    this.subtitle = h('p', { class: 'runner-kind' }, `${modeName(this.exam.mode)} · ${this.immediate ? 'immediate feedback' : 'answers checked at the end'}`);
    this.timerText = h('span', { class: 'timer-value', id: 'timer', role: 'timer', 'aria-labelledby': 'timer-label' });
    this.timerToggle = h('button', { type: 'button', class: 'btn btn-small btn-quiet', id: 'timer-toggle', 'aria-controls': 'timer' });
    this.timerToggle.addEventListener('click', () => this.toggleTimer());
    this.timerBox = this.timed
      ? h('div', { class: 'timer', id: 'timer-box' },
        h('span', { class: 'timer-label', id: 'timer-label' }, 'Time remaining'), ' ', this.timerText, ' ', this.timerToggle)
      : h('div', { class: 'timer timer-none' }, h('span', { class: 'timer-label' }, 'No time limit'));
    this.saveState = h('div', { class: 'save-state', id: 'save-state', role: 'status' });
    this.retryBtn = h('button', { type: 'button', class: 'btn btn-small', id: 'retry-save', hidden: true, on: { click: () => this.saver.retryNow() } }, 'Retry now');
    this.warning = h('div', { class: 'notice notice-warn time-warning', id: 'time-warning', hidden: true });

    this.body = h('div', { class: 'runner-body', id: 'runner-body' });

    this.prevBtn = h('button', { type: 'button', class: 'btn', id: 'prev-btn', 'aria-keyshortcuts': 'ArrowLeft P' }, h('span', { 'aria-hidden': 'true' }, '‹ '), 'Previous');
    this.flagBtn = h('button', { type: 'button', class: 'btn btn-flag', id: 'flag-btn', 'aria-keyshortcuts': 'F' });
    this.reviewBtn = h('button', { type: 'button', class: 'btn', id: 'review-btn', 'aria-keyshortcuts': 'R' }, 'Review');
    this.nextBtn = h('button', { type: 'button', class: 'btn btn-primary', id: 'next-btn', 'aria-keyshortcuts': 'ArrowRight N', 'aria-describedby': 'next-hint' });
    this.prevBtn.addEventListener('click', () => this.go(this.idx - 1, false));
    this.nextBtn.addEventListener('click', () => this.next(false));
    this.flagBtn.addEventListener('click', () => this.toggleFlag());
    this.reviewBtn.addEventListener('click', () => this.showReview());
    this.nextHint = h('span', { id: 'next-hint', class: 'sr-only' });
    this.bottom = h('nav', { class: 'runner-bottom', 'aria-label': 'Question controls' }, this.prevBtn, this.flagBtn, this.reviewBtn, this.nextBtn, this.nextHint);

    this.dialog = this.buildDialog();

    root.append(
      h('div', { class: 'runner' },
        h('div', { class: 'runner-top' },
          h('div', { class: 'runner-id' }, this.heading, this.subtitle),
          this.timerBox,
          h('div', { class: 'save-box' }, this.saveState, this.retryBtn)),
        this.warning,
        this.body,
        this.bottom,
        this.keysHelp()),
      this.dialog);

    this.showSaveState('saved', null, false);
    this.renderTimerToggle();
    this.tick();
    if (this.timed) {
      const iv = setInterval(() => this.tick(), 250);
      this.disposers.push(() => clearInterval(iv));
    }
    const resyncEvery = setInterval(() => this.resync(false), 60000);
    this.disposers.push(() => clearInterval(resyncEvery));

    const onKey = (e) => this.onKey(e);
    document.addEventListener('keydown', onKey);
    this.disposers.push(() => document.removeEventListener('keydown', onKey));
    const onVis = () => {
      if (document.visibilityState === 'visible') this.resync(false);
    };
    document.addEventListener('visibilitychange', onVis);
    this.disposers.push(() => document.removeEventListener('visibilitychange', onVis));
    const onUnload = (e) => {
      if (this.saver.busy()) {
        e.preventDefault();
        e.returnValue = '';
      }
    };
    window.addEventListener('beforeunload', onUnload);
    this.disposers.push(() => window.removeEventListener('beforeunload', onUnload));

    this.showQuestion(true);
    return () => this.dispose();
  }

  dispose() {
    for (const d of this.disposers) d();
    this.disposers = [];
    clearTimeout(this.numericTimer);
    // Saves still waiting go on in the background: the learner left the
    // page, not the exam.
  }

  keysHelp() {
    const rows = [
      ['1 – 6', 'Choose the option in that place'],
      ['A – E', 'Choose the option with that letter (for option F, use its number)'],
      ['Shift + number or letter', 'Strike out an option, or bring it back'],
      ['→ or N', 'Next question'],
      ['← or P', 'Previous question'],
      ['F', 'Flag or unflag for review'],
      ['R', 'Review screen (Esc returns)'],
      ['T', 'Show or hide the time'],
    ];
    if (this.immediate) rows.push(['Enter', 'Check the answer']);
    rows.push(['Numbers to type', 'Type the number, Enter to save, Esc to leave the field']);
    return h('details', { class: 'keys-help', id: 'keys-help' },
      h('summary', null, 'Keyboard shortcuts'),
      h('dl', null, rows.map(([k, v]) => [h('dt', null, h('kbd', null, k)), h('dd', null, v)])));
  }

  // ---- state shown in the bars ----

  showSaveState(state, error, retrying) {
    const el = this.saveState;
    el.classList.remove('is-saving', 'is-saved', 'is-error');
    if (state === 'saving') {
      el.classList.add('is-saving');
      el.textContent = 'Saving…';
    } else if (state === 'error') {
      el.classList.add('is-error');
      el.textContent = `Not saved yet: ${error}${retrying ? ' Your answer stays on this page and is sent again shortly.' : ''}`;
    } else {
      el.classList.add('is-saved');
      el.textContent = 'All answers saved';
    }
    this.retryBtn.hidden = !(state === 'error' && this.saver.pending.size > 0);
  }

  renderTimerToggle() {
    if (!this.timed) return;
    this.timerToggle.textContent = this.hideTimer ? 'Show time' : 'Hide time';
    this.timerToggle.setAttribute('aria-pressed', String(this.hideTimer));
    this.timerText.hidden = this.hideTimer;
    this.timerBox.classList.toggle('timer-hidden', this.hideTimer);
  }

  toggleTimer() {
    if (!this.timed) return;
    this.hideTimer = !this.hideTimer;
    store.setPref('hideTimer', this.hideTimer);
    this.renderTimerToggle();
    announce(this.hideTimer ? 'Time hidden. Warnings will still appear at 30 and 5 minutes.' : `Time shown: ${spokenDuration(this.remaining())} remaining.`);
  }

  tick() {
    if (!this.timed || this.closed) return;
    const left = this.remaining();
    const shown = Math.ceil(left);
    if (shown !== this.lastShown) {
      this.lastShown = shown;
      this.timerText.textContent = fmtDuration(shown);
      this.timerText.setAttribute('aria-label', `${spokenDuration(shown)} remaining`);
      this.timerBox.classList.toggle('timer-low', left <= 300);
    }
    for (const th of WARNINGS) {
      if (this.total > th + 1 && left <= th && !this.warned[th]) {
        this.warned[th] = true;
        store.save(this.id, 'warned', this.warned);
        const mins = Math.round(th / 60);
        const msg = `${mins} minutes remaining.`;
        replace(this.warning,
          h('p', null, h('strong', null, msg), ' Your answers are saved as you go; the exam is submitted automatically when time runs out.'),
          h('button', { type: 'button', class: 'btn btn-small btn-quiet', id: 'dismiss-warning', on: { click: () => { this.warning.hidden = true; } } }, 'Dismiss'));
        this.warning.hidden = false;
        announce(msg, true);
      }
    }
    if (left <= 0) this.submit(true);
  }

  // ---- server state ----

  saved(pos, res, newerPending) {
    const it = this.items[pos - 1];
    if (!it) return;
    if (!newerPending) {
      it.response = res.response;
      it.flagged = res.flagged;
      it.unsure = res.unsure;
    }
    const graded = 'correct' in res && it.correct === undefined;
    if ('correct' in res) {
      it.correct = res.correct;
      it.answer = res.answer;
      it.rationale = res.rationale;
      it.references = res.references;
      if (this.drafts[pos] !== undefined) {
        delete this.drafts[pos];
        store.save(this.id, 'draft', this.drafts);
      }
    }
    if (graded && this.view === 'question' && this.idx === pos - 1) {
      this.renderQuestion();
      announce(res.correct ? 'Correct.' : 'Incorrect.');
      const fb = document.getElementById('feedback-h');
      if (fb) fb.focus();
    } else if (this.view === 'review') {
      this.renderReviewList();
    }
  }

  async resync(full, rejectedPos) {
    if (this.closed) return;
    try {
      const view = await api.get(`/exams/${encodeURIComponent(this.id)}`);
      if (this.closed) return;
      if (view.status !== 'in_progress') {
        this.closedByServer();
        return;
      }
      this.setClock(view);
      if (full) {
        for (const fresh of view.items) {
          const it = this.items[fresh.position - 1];
          if (!it || this.saver.pending.has(fresh.position)) continue;
          Object.assign(it, fresh);
        }
        if (this.view === 'question' && (rejectedPos === undefined || rejectedPos === this.idx + 1)) this.renderQuestion();
      }
    } catch {
      // Offline: the clock keeps counting from the last reading.
    }
  }

  // closedByServer handles an attempt the server has closed: past its
  // deadline (the sweep scored it), or submitted from another tab.
  closedByServer() {
    if (this.closed) return;
    if (this.timed && this.remaining() <= 2) {
      this.submit(true, true);
      return;
    }
    this.closed = true;
    this.saver.stop();
    store.forget(this.id);
    announce('This exam was already submitted.', true);
    this.app.go(`#/result/${encodeURIComponent(this.id)}`);
  }

  async submit(auto, alreadyClosed = false) {
    if (this.submitting) return;
    this.submitting = true;
    if (auto) {
      this.closed = true;
      replace(this.warning, h('p', null, h('strong', null, 'Time is up.'), ' Submitting your exam…'));
      this.warning.hidden = false;
      announce('Time is up. Your exam is being submitted.', true);
    } else {
      this.showSaveState('saving', null, false);
      this.saveState.textContent = 'Submitting…';
    }
    if (!alreadyClosed) await this.saver.flush(auto ? 3000 : 10000);
    this.saver.stop();
    try {
      await api.post(`/exams/${encodeURIComponent(this.id)}/submit`);
    } catch (err) {
      if (!auto && err.status !== 409) {
        this.submitting = false;
        this.saver.stopped = false;
        this.showSaveState(this.saver.state(), this.saver.error, false);
        this.saveState.classList.remove('is-saving', 'is-saved');
        this.saveState.classList.add('is-error');
        this.saveState.textContent = `The exam was not submitted: ${err.message} Try again.`;
        announce(`The exam was not submitted: ${err.message}`, true);
        return;
      }
      // Closed already (deadline): the result is there.
    }
    this.closed = true;
    store.forget(this.id);
    this.app.go(`#/result/${encodeURIComponent(this.id)}${auto ? '?timeup=1' : ''}`);
  }

  // ---- navigation ----

  go(idx, fromKey) {
    if (idx < 0 || idx >= this.n) return;
    this.commitNumericNow();
    this.idx = idx;
    store.save(this.id, 'pos', idx);
    this.view = 'question';
    this.showQuestion(fromKey);
    if (!fromKey) announce(`Question ${idx + 1} of ${this.n}`);
  }

  next(fromKey) {
    if (this.idx === this.n - 1) {
      this.commitNumericNow();
      this.showReview();
    } else {
      this.go(this.idx + 1, fromKey);
    }
  }

  showQuestion(focusHeading) {
    this.view = 'question';
    this.seen.add(this.idx + 1);
    store.save(this.id, 'seen', [...this.seen]);
    this.renderQuestion();
    if (focusHeading) this.heading.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }

  showReview() {
    this.commitNumericNow();
    this.view = 'review';
    this.filter = 'all';
    this.renderReview();
    this.heading.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }

  renderBars() {
    const review = this.view === 'review';
    this.heading.textContent = review ? `Review screen · ${this.n} questions` : `Question ${this.idx + 1} of ${this.n}`;
    this.bottom.hidden = review;
    this.prevBtn.disabled = this.idx === 0;
    const last = this.idx === this.n - 1;
    replace(this.nextBtn, last ? 'Finish' : 'Next', h('span', { 'aria-hidden': 'true' }, ' ›'));
    this.nextHint.textContent = last ? 'Opens the review screen, where you can submit.' : '';
    const it = this.item();
    this.flagBtn.setAttribute('aria-pressed', String(Boolean(it.flagged)));
    replace(this.flagBtn, h('span', { class: 'flag-icon', 'aria-hidden': 'true' }, it.flagged ? '⚑' : '⚐'), ' Flag');
  }

  // ---- one question ----

  locked(it) {
    return this.immediate && it.correct !== undefined && it.correct !== null;
  }

  currentChoices(it) {
    if (this.immediate && !this.locked(it) && this.drafts[it.position] !== undefined) {
      return choicesOf(this.drafts[it.position]);
    }
    return choicesOf(it.response);
  }

  renderQuestion() {
    const focusedId = document.activeElement && document.activeElement.id;
    this.renderBars();
    const it = this.item();
    const pos = it.position;
    const locked = this.locked(it);
    const stemId = `stem-${pos}`;
    const parts = [];
    const meta = [];
    if (this.exam.mode !== 'mock') meta.push(h('span', { class: 'tag' }, topicName(it.topic, this.app.topicsCache)));
    if (it.flagged) meta.push(h('span', { class: 'tag tag-flag' }, '⚑ Flagged for review'));
    if (meta.length) parts.push(h('p', { class: 'q-meta' }, meta));
    if (it.scenario) {
      parts.push(h('div', { class: 'scenario', role: 'note', 'aria-label': 'Case' }, h('p', { class: 'scenario-label' }, 'Case'), h('p', { class: 'scenario-text' }, it.scenario)));
    }
    parts.push(h('p', { class: 'stem', id: stemId }, it.stem));

    if (it.type === 'numeric') {
      parts.push(this.renderNumeric(it, stemId, locked));
    } else {
      parts.push(this.renderOptions(it, stemId, locked));
    }
    // A guess that turns out right comes back sooner in spaced repetition.
    const unsure = h('input', { type: 'checkbox', id: 'unsure-toggle', checked: Boolean(it.unsure), disabled: locked });
    unsure.addEventListener('change', () => this.setUnsure(unsure.checked));
    parts.push(h('div', { class: 'unsure-row' }, unsure, ' ', h('label', { for: 'unsure-toggle' }, 'I am guessing on this one')));
    if (this.immediate && !locked) {
      const ready = this.draftReady(it);
      const check = h('button', { type: 'button', class: 'btn btn-primary', id: 'check-btn', 'aria-keyshortcuts': 'Enter', disabled: !ready }, 'Check answer');
      check.addEventListener('click', () => this.checkAnswer());
      parts.push(h('div', { class: 'check-row' }, check,
        h('p', { class: 'hint', id: 'check-hint' }, ready ? 'Press Enter or Check answer to see whether it is right.' : this.draftHint(it))));
    }
    if (locked) parts.push(this.renderFeedback(it));

    const article = h('article', { class: 'question', 'aria-labelledby': 'qcount', dataset: { position: pos, qid: it.question_id, type: it.type } }, parts);
    replace(this.body, article);
    if (focusedId) {
      const el = document.getElementById(focusedId);
      if (el && el !== document.activeElement && !el.disabled && !el.hidden) el.focus({ preventScroll: true });
    }
  }

  draftReady(it) {
    const d = this.drafts[it.position];
    if (d === undefined || d === null) return false;
    if (it.type === 'numeric') return typeof d === 'number';
    if (it.type === 'multiple') return choicesOf(d).length === (it.select || 1);
    return choicesOf(d).length === 1;
  }

  draftHint(it) {
    if (it.type === 'numeric') return 'Type a number, then press Enter to check it.';
    if (it.type === 'multiple') return `Choose ${it.select} options, then check.`;
    return 'Choose an option, then check.';
  }

  renderOptions(it, stemId, locked) {
    const pos = it.position;
    const multiple = it.type === 'multiple';
    const chosen = this.currentChoices(it);
    const struck = new Set(this.strikes[pos] || []);
    const need = it.select || 1;
    const key = locked ? choicesOf(it.answer) : [];
    const legend = multiple
      ? h('legend', { id: `legend-${pos}` }, `Choose ${need} answers. `, h('span', { class: 'select-count', id: `select-count-${pos}` }, `${chosen.length} of ${need} chosen.`))
      : h('legend', { id: `legend-${pos}` }, 'Choose one answer.');
    const list = h('ul', { class: 'options' });
    it.options.forEach((o, i) => {
      const inputId = `opt-${pos}-${o.id}`;
      const isChosen = chosen.includes(o.id);
      const isStruck = struck.has(o.id);
      const input = h('input', {
        type: multiple ? 'checkbox' : 'radio',
        id: inputId,
        name: `answer-${pos}`,
        value: o.id,
        checked: isChosen,
        disabled: locked,
        'aria-keyshortcuts': `${i + 1} ${o.id}`,
      });
      input.addEventListener('change', () => this.choose(o.id, input));
      const marks = [];
      if (isStruck) marks.push(h('span', { class: 'sr-only' }, ' (struck out)'));
      if (locked && key.includes(o.id)) marks.push(h('span', { class: 'opt-mark opt-mark-key' }, '✓ Correct answer'));
      if (locked && isChosen && !key.includes(o.id)) marks.push(h('span', { class: 'opt-mark opt-mark-wrong' }, '✗ Your answer'));
      if (locked && isChosen && key.includes(o.id)) marks.push(h('span', { class: 'opt-mark opt-mark-yours' }, '(your answer)'));
      const label = h('label', { for: inputId, class: 'option-label' },
        h('span', { class: 'opt-letter' }, o.id),
        h('span', { class: 'opt-text' }, o.text),
        marks);
      const strike = h('button', {
        type: 'button',
        class: 'strike-btn',
        id: `strike-${pos}-${o.id}`,
        'aria-pressed': String(isStruck),
        title: isStruck ? 'Bring this option back' : 'Strike out this option',
      }, h('span', { 'aria-hidden': 'true' }, isStruck ? '↺' : '⊘'), h('span', { class: 'strike-text' }, isStruck ? ' Undo' : ' Strike'), h('span', { class: 'sr-only' }, ` out option ${o.id}`));
      strike.addEventListener('click', () => this.toggleStrike(o.id));
      list.appendChild(h('li', {
        class: ['option', isChosen && 'is-chosen', isStruck && 'is-struck', locked && key.includes(o.id) && 'is-key', locked && isChosen && !key.includes(o.id) && 'is-wrong'],
        dataset: { option: o.id },
      }, input, label, strike));
    });
    return h('fieldset', { class: 'options-set', 'aria-describedby': stemId }, legend, list,
      h('p', { class: 'select-note', id: `select-note-${pos}`, role: 'status' }));
  }

  renderNumeric(it, stemId, locked) {
    const pos = it.position;
    let value = '';
    if (this.immediate && !locked && this.drafts[pos] !== undefined && this.drafts[pos] !== null) value = String(this.drafts[pos]);
    else if (typeof it.response === 'number') value = String(it.response);
    const input = h('input', {
      type: 'text',
      id: 'numeric-input',
      inputmode: 'decimal',
      autocomplete: 'off',
      spellcheck: 'false',
      class: 'input-numeric',
      value,
      disabled: locked,
      'aria-describedby': `${stemId} numeric-hint`,
      dataset: { position: pos },
    });
    input.addEventListener('input', () => {
      clearTimeout(this.numericTimer);
      this.numericTimer = setTimeout(() => this.commitNumeric(input, false), 700);
    });
    input.addEventListener('change', () => this.commitNumeric(input, false));
    const parts = [h('label', { for: 'numeric-input' }, 'Your answer (a number)'),
      h('p', { class: 'hint', id: 'numeric-hint' }, this.immediate ? 'Type the number and press Enter to check it. Esc leaves the field.' : 'Type the number; it is saved as you type. Esc leaves the field.'),
      input,
      h('p', { class: 'field-error', id: 'numeric-error', role: 'status' })];
    if (locked) {
      parts.push(h('p', { class: 'numeric-key' }, `Correct answer: ${it.answer}`));
    }
    return h('div', { class: 'field numeric' }, parts);
  }

  commitNumericNow() {
    clearTimeout(this.numericTimer);
    const input = document.getElementById('numeric-input');
    if (input && !input.disabled) this.commitNumeric(input, false);
  }

  commitNumeric(input, check) {
    clearTimeout(this.numericTimer);
    const pos = Number(input.dataset.position);
    const it = this.items[pos - 1];
    if (!it || this.locked(it)) return;
    const err = document.getElementById('numeric-error');
    const text = input.value.trim();
    let value = null;
    if (text !== '') {
      value = parseNumber(text);
      if (value === null) {
        input.setAttribute('aria-invalid', 'true');
        if (err) err.textContent = 'Enter a number, for example 88.89.';
        return;
      }
    }
    input.removeAttribute('aria-invalid');
    if (err) err.textContent = '';
    if (this.immediate) {
      if (value === null) delete this.drafts[pos];
      else this.drafts[pos] = value;
      store.save(this.id, 'draft', this.drafts);
      const btn = document.getElementById('check-btn');
      if (btn) btn.disabled = value === null;
      const hint = document.getElementById('check-hint');
      if (hint) hint.textContent = value === null ? this.draftHint(it) : 'Press Enter or Check answer to see whether it is right.';
      if (check && value !== null) this.checkAnswer();
      return;
    }
    if (value === it.response || (value === null && !hasResponse(it.response))) return;
    it.response = value;
    this.saver.queue(pos, { response: value });
  }

  choose(optionId, input) {
    const it = this.item();
    if (!it || it.type === 'numeric') return;
    const pos = it.position;
    if (this.locked(it)) {
      announce('This answer was already checked and cannot change.');
      if (input) input.checked = this.currentChoices(it).includes(optionId);
      return;
    }
    const cur = this.currentChoices(it).slice();
    let next;
    if (it.type === 'multiple') {
      const need = it.select || 1;
      if (cur.includes(optionId)) {
        next = cur.filter((x) => x !== optionId);
      } else if (cur.length >= need) {
        if (input) input.checked = false;
        const note = document.getElementById(`select-note-${pos}`);
        const msg = `You can choose only ${need}. Clear one of your choices first.`;
        if (note) note.textContent = msg;
        else announce(msg);
        return;
      } else {
        next = [...cur, optionId];
      }
    } else {
      if (cur.length === 1 && cur[0] === optionId) {
        if (input) input.checked = true;
        return;
      }
      next = [optionId];
    }
    if (this.immediate) {
      if (next.length) this.drafts[pos] = next;
      else delete this.drafts[pos];
      store.save(this.id, 'draft', this.drafts);
    } else {
      it.response = next.length ? next : null;
      this.saver.queue(pos, { response: next.length ? next : null });
    }
    this.renderQuestion();
  }

  chooseByIndex(i) {
    const it = this.item();
    if (!it.options || i >= it.options.length) return;
    this.choose(it.options[i].id);
  }

  chooseById(letter) {
    const it = this.item();
    if (!it.options) return false;
    const o = it.options.find((x) => x.id === letter);
    if (!o) return false;
    this.choose(o.id);
    return true;
  }

  toggleStrike(optionId) {
    const it = this.item();
    const pos = it.position;
    const list = new Set(this.strikes[pos] || []);
    if (list.has(optionId)) list.delete(optionId);
    else list.add(optionId);
    this.strikes[pos] = [...list];
    store.save(this.id, 'strike', this.strikes);
    this.renderQuestion();
    announce(list.has(optionId) ? `Option ${optionId} struck out.` : `Option ${optionId} restored.`);
  }

  setUnsure(value) {
    const it = this.item();
    if (this.locked(it)) return;
    it.unsure = value;
    this.saver.queue(it.position, { unsure: value });
    announce(value ? `Question ${it.position} marked as a guess.` : `Guess mark removed from question ${it.position}.`);
  }

  toggleFlag() {
    const it = this.item();
    it.flagged = !it.flagged;
    this.saver.queue(it.position, { flagged: it.flagged });
    this.renderQuestion();
    announce(it.flagged ? `Question ${it.position} flagged for review.` : `Flag removed from question ${it.position}.`);
  }

  checkAnswer() {
    const it = this.item();
    if (!this.immediate || this.locked(it)) return;
    if (it.type === 'numeric') {
      const input = document.getElementById('numeric-input');
      if (input) {
        const v = parseNumber(input.value);
        if (v !== null) this.drafts[it.position] = v;
      }
    }
    if (!this.draftReady(it)) {
      announce(this.draftHint(it));
      return;
    }
    const btn = document.getElementById('check-btn');
    if (btn) {
      btn.disabled = true;
      btn.textContent = 'Checking…';
    }
    this.saver.queue(it.position, { response: this.drafts[it.position] });
  }

  renderFeedback(it) {
    const right = Boolean(it.correct);
    const answerText = it.type === 'numeric'
      ? String(it.answer)
      : choicesOf(it.answer).map((id) => {
        const o = (it.options || []).find((x) => x.id === id);
        return o ? `${id}. ${o.text}` : id;
      }).join('; ');
    return h('section', { class: ['feedback', right ? 'feedback-right' : 'feedback-wrong'], 'aria-labelledby': 'feedback-h', id: 'feedback' },
      h('h2', { id: 'feedback-h', tabindex: '-1' }, h('span', { 'aria-hidden': 'true' }, right ? '✓ ' : '✗ '), right ? 'Correct' : 'Incorrect'),
      h('p', null, h('strong', null, choicesOf(it.answer).length > 1 ? 'The answers: ' : 'The answer: '), answerText),
      it.rationale ? [h('h3', null, 'Why'), h('p', { class: 'rationale' }, it.rationale)] : null,
      it.references && it.references.length ? h('p', { class: 'references' }, h('strong', null, 'References: '), it.references.join('; ')) : null,
      h('p', { class: 'hint' }, this.idx < this.n - 1 ? 'Press N or → for the next question.' : 'Press N or → for the review screen.'));
  }

  // ---- review screen ----

  statusOf(it) {
    if (hasResponse(it.response)) return 'answered';
    if (this.seen.has(it.position)) return 'unanswered';
    return 'unseen';
  }

  renderReview() {
    this.renderBars();
    const counts = { answered: 0, unanswered: 0, unseen: 0, flagged: 0 };
    for (const it of this.items) {
      counts[this.statusOf(it)] += 1;
      if (it.flagged) counts.flagged += 1;
    }
    const filters = [
      ['all', `All (${this.n})`],
      ['unanswered', `Unanswered (${counts.unanswered})`],
      ['flagged', `Flagged (${counts.flagged})`],
      ['unseen', `Unseen (${counts.unseen})`],
      ['answered', `Answered (${counts.answered})`],
    ];
    const filterBar = h('div', { class: 'filter-bar', role: 'group', 'aria-label': 'Show questions' },
      filters.map(([key, label]) => h('button', {
        type: 'button',
        class: 'btn btn-small btn-filter',
        id: `filter-${key}`,
        'aria-pressed': String(this.filter === key),
        on: { click: () => { this.filter = key; this.renderReview(); document.getElementById(`filter-${key}`).focus(); } },
      }, label)));
    this.reviewList = h('ol', { class: 'navigator', id: 'navigator' });
    const submitBtn = h('button', { type: 'button', class: 'btn btn-primary', id: 'submit-btn' }, 'Submit exam');
    submitBtn.addEventListener('click', () => this.confirmSubmit(counts));
    const back = h('button', { type: 'button', class: 'btn', id: 'return-btn' }, `Return to question ${this.idx + 1}`);
    back.addEventListener('click', () => this.showQuestion(true));
    replace(this.body, h('section', { class: 'review-screen', 'aria-label': 'Review screen' },
      h('ul', { class: 'review-summary', 'aria-label': 'Summary' },
        h('li', { class: 'sum-answered' }, h('strong', null, String(counts.answered)), ' answered'),
        h('li', { class: 'sum-unanswered' }, h('strong', null, String(counts.unanswered)), ' unanswered'),
        h('li', { class: 'sum-flagged' }, h('strong', null, String(counts.flagged)), ' flagged'),
        h('li', { class: 'sum-unseen' }, h('strong', null, String(counts.unseen)), ' unseen')),
      filterBar,
      h('nav', { 'aria-label': 'Question navigator' }, this.reviewList),
      h('div', { class: 'actions review-actions' }, back, submitBtn,
        h('a', { href: '#/', class: 'btn btn-quiet', id: 'leave-link' }, 'Leave for now'),
        h('p', { class: 'hint' }, this.timed ? 'Leaving keeps your answers; the time keeps running.' : 'Leaving keeps your answers; come back any time.'))));
    this.renderReviewList();
  }

  renderReviewList() {
    if (!this.reviewList) return;
    clear(this.reviewList);
    const words = { answered: 'Answered', unanswered: 'Unanswered', unseen: 'Unseen' };
    let shown = 0;
    for (const it of this.items) {
      const st = this.statusOf(it);
      if (this.filter === 'flagged' && !it.flagged) continue;
      if (this.filter !== 'all' && this.filter !== 'flagged' && this.filter !== st) continue;
      shown += 1;
      const btn = h('button', {
        type: 'button',
        class: ['nav-item', `nav-${st}`, it.flagged && 'nav-flagged', it.position === this.idx + 1 && 'nav-current'],
        id: `nav-${it.position}`,
        dataset: { position: it.position, status: st, flagged: it.flagged ? 'true' : 'false' },
      },
      h('span', { class: 'nav-num' }, h('span', { class: 'sr-only' }, 'Question '), String(it.position)),
      h('span', { class: 'nav-status' }, words[st]),
      it.flagged ? h('span', { class: 'nav-flag' }, h('span', { 'aria-hidden': 'true' }, '⚑'), h('span', { class: 'sr-only' }, ', flagged')) : null,
      it.position === this.idx + 1 ? h('span', { class: 'sr-only' }, ', current') : null);
      btn.addEventListener('click', () => this.go(it.position - 1, true));
      this.reviewList.appendChild(h('li', null, btn));
    }
    if (!shown) this.reviewList.appendChild(h('li', { class: 'nav-empty' }, 'No questions in this group.'));
  }

  buildDialog() {
    this.dialogText = h('p', { id: 'submit-dialog-text' });
    const confirm = h('button', { type: 'button', class: 'btn btn-primary', id: 'confirm-submit' }, 'Submit exam');
    const cancel = h('button', { type: 'button', class: 'btn', id: 'cancel-submit' }, 'Keep working');
    const dlg = h('dialog', { class: 'dialog', id: 'submit-dialog', 'aria-labelledby': 'submit-dialog-h', 'aria-describedby': 'submit-dialog-text' },
      h('h2', { id: 'submit-dialog-h' }, 'Submit the exam?'),
      this.dialogText,
      h('div', { class: 'actions' }, cancel, confirm));
    cancel.addEventListener('click', () => dlg.close());
    confirm.addEventListener('click', () => {
      dlg.close();
      this.submit(false);
    });
    return dlg;
  }

  confirmSubmit(counts) {
    const open = counts.unanswered + counts.unseen;
    const bits = [];
    if (open) bits.push(`${open} question${open === 1 ? ' has' : 's have'} no answer and will count as wrong.`);
    if (counts.flagged) bits.push(`${counts.flagged} question${counts.flagged === 1 ? ' is' : 's are'} flagged for review.`);
    if (this.saver.state() === 'error') bits.push('Some answers are not saved yet; they will be tried once more before submitting.');
    bits.push('After submitting you cannot change any answer.');
    this.dialogText.textContent = bits.join(' ');
    this.dialog.showModal();
    document.getElementById('cancel-submit').focus();
  }

  // ---- keyboard ----

  onKey(e) {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || this.closed) return;
    if (this.dialog.open) return;
    const t = e.target;
    const tag = t && t.tagName;
    const typing = (tag === 'INPUT' && !['radio', 'checkbox', 'button', 'submit'].includes(t.type)) || tag === 'TEXTAREA' || tag === 'SELECT' || (t && t.isContentEditable);
    if (typing) {
      if (t.id === 'numeric-input') {
        if (e.key === 'Enter') {
          e.preventDefault();
          this.commitNumeric(t, true);
        } else if (e.key === 'Escape') {
          e.preventDefault();
          this.commitNumeric(t, false);
          this.heading.focus({ preventScroll: true });
        }
      }
      return;
    }
    const k = e.key;
    const lower = k.length === 1 ? k.toLowerCase() : k;
    if (this.view === 'review') {
      if (k === 'Escape' || lower === 'r') {
        e.preventDefault();
        this.showQuestion(true);
      } else if (lower === 't') {
        e.preventDefault();
        this.toggleTimer();
      }
      return;
    }
    const it = this.item();
    const digit = /^Digit[1-6]$/.test(e.code) ? Number(e.code.slice(5)) : /^Numpad[1-6]$/.test(e.code) ? Number(e.code.slice(6)) : null;
    if (e.shiftKey) {
      if (it.type === 'numeric') return;
      if (digit !== null && digit <= it.options.length) {
        e.preventDefault();
        this.toggleStrike(it.options[digit - 1].id);
      } else if (/^[a-f]$/.test(lower) && it.options.some((o) => o.id === k.toUpperCase())) {
        e.preventDefault();
        this.toggleStrike(k.toUpperCase());
      }
      return;
    }
    if (k === 'ArrowRight' || lower === 'n') {
      e.preventDefault();
      this.next(true);
      return;
    }
    if (k === 'ArrowLeft' || lower === 'p') {
      e.preventDefault();
      this.go(this.idx - 1, true);
      return;
    }
    if (lower === 'f') {
      e.preventDefault();
      this.toggleFlag();
      return;
    }
    if (lower === 'r') {
      e.preventDefault();
      this.showReview();
      return;
    }
    if (lower === 't') {
      e.preventDefault();
      this.toggleTimer();
      return;
    }
    if (k === '?') {
      e.preventDefault();
      const help = document.getElementById('keys-help');
      help.open = !help.open;
      return;
    }
    if (k === 'Enter' && this.immediate && !['BUTTON', 'A', 'SUMMARY'].includes(tag)) {
      e.preventDefault();
      this.checkAnswer();
      return;
    }
    if (it.type === 'numeric') {
      if (/^[0-9.\-+,]$/.test(k)) {
        const input = document.getElementById('numeric-input');
        if (input && !input.disabled) {
          // Focus moves to the field during keydown, so the character
          // typed lands in it, as if the learner had clicked there first.
          input.focus();
          const end = input.value.length;
          input.setSelectionRange(end, end);
        }
      }
      return;
    }
    if (digit !== null) {
      e.preventDefault();
      this.chooseByIndex(digit - 1);
      return;
    }
    if (/^[a-e]$/.test(lower)) {
      if (this.chooseById(lower.toUpperCase())) e.preventDefault();
    }
  }
}

export async function render(ctx) {
  const { root, app, params } = ctx;
  const id = params.id;
  const [exam] = await Promise.all([
    api.get(`/exams/${encodeURIComponent(id)}`),
    app.topics().catch(() => []),
  ]);
  if (!ctx.alive()) return undefined;
  if (exam.status !== 'in_progress') {
    app.go(`#/result/${encodeURIComponent(id)}`, { replace: true });
    return undefined;
  }
  if (!exam.items || !exam.items.length) {
    root.append(h('h1', null, 'This exam has no questions'), h('p', null, h('a', { href: '#/' }, 'Back to the start page')));
    return undefined;
  }
  const runner = new Runner(ctx, exam);
  return runner.mount();
}
