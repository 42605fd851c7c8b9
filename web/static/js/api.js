// The JSON API client. The browser is signed in by the HttpOnly session
// cookie the login sets; every request that changes state echoes the
// readable rhitprep_csrf cookie in the X-CSRF-Token header, as the server
// requires for cookie sessions.

export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details || [];
  }
}

export function csrfToken() {
  for (const part of document.cookie.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === 'rhitprep_csrf') {
      return decodeURIComponent(part.slice(eq + 1).trim());
    }
  }
  return '';
}

let unauthorizedHandler = null;

// onUnauthorized sets what happens when a request answers 401 (the session
// ended): the app sends the user to the sign-in page.
export function onUnauthorized(fn) {
  unauthorizedHandler = fn;
}

// request sends a request to /api/v1 + path. body is sent as JSON unless
// it is FormData. It returns the parsed JSON (null for 204) or throws an
// ApiError; status 0 means the server could not be reached.
export async function request(method, path, body, { raw = false } = {}) {
  const headers = { Accept: 'application/json' };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (method !== 'GET' && method !== 'HEAD') {
    headers['X-CSRF-Token'] = csrfToken();
  }
  if (body instanceof FormData) {
    init.body = body;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(`/api/v1${path}`, init);
  } catch {
    throw new ApiError(0, 'network', 'The server cannot be reached; check the connection.');
  }
  if (res.ok && raw) return res;
  if (res.status === 204) return null;
  const text = await res.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    const e = (data && data.error) || {};
    const err = new ApiError(res.status, e.code || `http_${res.status}`,
      e.message || `The server answered ${res.status}.`, e.details);
    if (res.status === 401 && unauthorizedHandler && !path.startsWith('/auth/')) {
      unauthorizedHandler(err);
    }
    throw err;
  }
  return data;
}

export const api = {
  get: (path, opts) => request('GET', path, undefined, opts),
  post: (path, body, opts) => request('POST', path, body, opts),
  put: (path, body, opts) => request('PUT', path, body, opts),
  del: (path, opts) => request('DELETE', path, undefined, opts),
};
