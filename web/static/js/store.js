// Small wrappers over localStorage for what only the browser knows about
// an attempt: which questions were seen, struck-out options, the question
// on screen, unchecked drafts and which time warnings were given. The
// answers and flags themselves live on the server.

function key(examId, name) {
  return `rhitprep.exam.${examId}.${name}`;
}

export function load(examId, name, fallback) {
  try {
    const raw = localStorage.getItem(key(examId, name));
    return raw === null ? fallback : JSON.parse(raw);
  } catch {
    return fallback;
  }
}

export function save(examId, name, value) {
  try {
    localStorage.setItem(key(examId, name), JSON.stringify(value));
  } catch {
    // Storage full or disabled: these are conveniences, not answers.
  }
}

export function forget(examId) {
  try {
    const prefix = `rhitprep.exam.${examId}.`;
    const doomed = [];
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i);
      if (k && k.startsWith(prefix)) doomed.push(k);
    }
    for (const k of doomed) localStorage.removeItem(k);
  } catch {
    // nothing to do
  }
}

export function pref(name, fallback) {
  try {
    const raw = localStorage.getItem(`rhitprep.pref.${name}`);
    return raw === null ? fallback : JSON.parse(raw);
  } catch {
    return fallback;
  }
}

export function setPref(name, value) {
  try {
    localStorage.setItem(`rhitprep.pref.${name}`, JSON.stringify(value));
  } catch {
    // ignore
  }
}
