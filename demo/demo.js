// The demo page's whole client: forms (sign up, resend, confirm; sign in, with the password or a one-time code,
// and its next step; ask for a reset code, set the new password) and a signed-in card (who, when the access
// token expires, refresh, sign out) that call the gateway's /graphql with fetch, as a browser app would, and show
// what it answers. Confirming signs the user in with the session confirmSignUp answers (no second code). The
// tokens stay in this script's memory only; the refresh token never reaches it: the gateway keeps it in an
// HttpOnly cookie. No framework and no build step; src/dev/demo-page.ts serves it outside production only, under a
// Content-Security-Policy that allows nothing but this origin. When the gateway asks for proof-of-work
// challenges (serviceInfo.challengeMode), the forms that send codes or sign in get the ALTCHA widget, loaded from
// the gateway itself, and send its solution as `challengeResponse`. In `npm start`'s local mode the page also
// shows the codes the embedded stand-in "sends", read from the gateway's /demo/outbox as they arrive.

const GRAPHQL_URL = '/graphql';
const USERNAME_KEY = 'cognito-gateway-demo.username';
const LOOKS_LIKE_EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The page's GraphQL documents, as the gateway registered them (outside production without a manifest of
 * its own) and serves them: an Apollo persisted-query manifest, by operation name. The page sends their ids,
 * as a frontend built with its manifest does, and the document itself only to a gateway that does not know the id.
 */
const DOCUMENTS_URL = '/demo/documents.json';
const CHALLENGE_URL = '/challenge';
const WIDGET_SCRIPT = '/demo/altcha/altcha.js';
const WIDGET_STYLES = '/demo/altcha/altcha.css';
const WIDGET_WORKER = '/demo/altcha/pbkdf2.js';
/**
 * The local stand-in's newest codes, newest first: served only by `npm start`'s local mode (404 otherwise, and
 * 403 to a browser on another machine). The page asks every OUTBOX_POLL_MS while it is visible, and after
 * each form's call.
 */
const OUTBOX_URL = '/demo/outbox';
const OUTBOX_POLL_MS = 2000;

/**
 * A sentence for every error code the gateway documents (README, "Errors"): a string, or a function of the
 * error's extensions.
 */
const ERROR_MESSAGES = {
  BAD_USER_INPUT: (extensions) => {
    const details = (Array.isArray(extensions.fields) ? extensions.fields : [])
      .flatMap((field) => (Array.isArray(field.messages) ? field.messages : []))
      .join('; ');
    return details
      ? `Please check what you entered: ${details}.`
      : 'Please check what you entered: the email address, phone number or another value was not accepted.';
  },
  USERNAME_EXISTS: 'An account with this username already exists. Confirm it below, or sign in.',
  INVALID_PASSWORD:
    'That password does not meet the password rules. Try a longer one with more kinds of characters.',
  CODE_MISMATCH: 'That code is not right. Check the newest message, or resend.',
  CODE_EXPIRED: 'That code has expired. Send a new one and use it within 24 hours.',
  ALIAS_EXISTS: 'Another account already uses this email address or phone number.',
  ALREADY_CONFIRMED: 'This account is already confirmed. You can sign in.',
  USER_NOT_CONFIRMED: 'This account was never confirmed: confirm it first (resend the sign-up code).',
  NO_RECOVERY_DESTINATION:
    'This account has no verified email address or phone number to send a reset code to. If it was never confirmed, confirm it first.',
  USER_NOT_FOUND: 'There is no account with this username. Sign up first.',
  RATE_LIMITED: (extensions) =>
    extensions.rule
      ? `Codes are paused for now because many were sent. Please try again in ${duration(extensions.retryAfterSeconds)}.`
      : `Too many attempts. Please wait ${duration(extensions.retryAfterSeconds)} before trying again.`,
  PHONE_NUMBER_NOT_ALLOWED:
    'Codes cannot be sent to this phone number. Enter a mobile number in international format (+ and country code), or use an email address.',
  LIMIT_EXCEEDED: 'Too many attempts for this account. Please wait a while before trying again.',
  TOO_MANY_REQUESTS: 'The sign-up service is busy right now. Please try again in a moment.',
  NOT_AUTHORIZED: 'The sign-up service refused this request. The gateway may be misconfigured.',
  FORBIDDEN: 'The request was blocked. Please try again later, or from another network.',
  CHALLENGE_REQUIRED: 'Please complete the “I’m not a robot” check, then try again.',
  CHALLENGE_FAILED: 'The “I’m not a robot” check expired or was already used. Please run it again.',
  CODE_DELIVERY_FAILED: 'The code could not be sent. Check the email address or phone number, then resend.',
  REJECTED_BY_TRIGGER:
    'This sign-up was refused by the service’s rules (for example, an email domain that is not allowed).',
  UPSTREAM_UNAVAILABLE: 'Cognito is unavailable right now. Please try again shortly.',
  INTERNAL_SERVER_ERROR: 'Something went wrong on our side. Please try again later.',
  BAD_REQUEST: 'The gateway could not read the request this page sent.',
  GRAPHQL_PARSE_FAILED: 'The gateway did not understand the request this page sent.',
  GRAPHQL_VALIDATION_FAILED: 'The gateway did not understand the request this page sent.',
  PERSISTED_QUERY_NOT_SUPPORTED: 'The gateway did not understand the request this page sent.',
  PERSISTED_DOCUMENT_REQUIRED: 'This gateway accepts only the requests its own apps were built with.',
  PERSISTED_DOCUMENT_NOT_FOUND: 'This page is out of date for the gateway. Please reload it.',
  OPERATION_RESOLUTION_FAILURE: 'The gateway did not understand the request this page sent.',
  PASSWORD_RESET_REQUIRED:
    'This account must choose a new password before signing in: ask for a reset code in step 5.',
  SESSION_EXPIRED:
    'This sign-in step has expired or was already used. Please sign in again, or ask for a new code.',
  MFA_METHOD_NOT_FOUND: 'This account has not set up that second factor. Please sign in again.',
  NOT_SIGNED_IN: 'Not signed in, or the sign-in has ended (signed out, expired or revoked). Please sign in.',
};
/**
 * Where the reset card's sentences differ: a reset code lives an hour (not 24), and "resend" in the shared
 * sentence means the sign-up code of step 2.
 */
const RESET_ERROR_MESSAGES = {
  CODE_MISMATCH: 'That code is not right. Check the newest reset message, or ask for a new code.',
  CODE_EXPIRED: 'That reset code has expired. Ask for a new one and use it within an hour.',
};
/**
 * Where signing in differs: NOT_AUTHORIZED is the one answer for a wrong password, an unknown user and a
 * disabled one, and a code is a sign-in code, which comes with the sign-in rather than by resending.
 */
const SIGN_IN_ERROR_MESSAGES = {
  NOT_AUTHORIZED: 'The username or password is not right.',
  USER_NOT_CONFIRMED:
    'This account is not confirmed yet: confirm it with its code in step 3 (step 2 sends a new one).',
  LIMIT_EXCEEDED: 'Too many failed sign-ins for this account. Please wait a while before trying again.',
  CODE_MISMATCH: 'That code is not right. Check the newest sign-in code.',
  CODE_EXPIRED: 'That code has expired. Please sign in again for a new one.',
};
/**
 * Where answering a sign-in code differs: its session ends when the code expires (within minutes) or after a
 * few wrong tries, and a new code is one click above.
 */
const SIGN_IN_CODE_ERROR_MESSAGES = {
  ...SIGN_IN_ERROR_MESSAGES,
  SESSION_EXPIRED: 'This sign-in code has expired or can no longer be used. Please ask for a new code above.',
};
const NETWORK_ERROR = 'Could not reach the gateway. Check your connection and try again.';

function duration(value) {
  const seconds = Math.ceil(Number(value));
  if (!Number.isFinite(seconds) || seconds <= 0) return 'a moment';
  if (seconds < 90) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 90) return `${minutes} minutes`;
  return `${Math.ceil(minutes / 60)} hours`;
}

/** The human-readable sentence for a GraphQL error; `overrides` replaces some of ERROR_MESSAGES. */
function messageFor(error, overrides = {}) {
  const extensions = error?.extensions ?? {};
  const messages = Object.hasOwn(overrides, extensions.code) ? overrides : ERROR_MESSAGES;
  const known = Object.hasOwn(messages, extensions.code) ? messages[extensions.code] : undefined;
  if (typeof known === 'function') return known(extensions);
  if (known) return known;
  return 'Something went wrong. Please try again.';
}

class GatewayProblem extends Error {
  constructor(message, code) {
    super(message);
    this.code = code;
  }
}

/** Runs one mutation (by operation name); resolves with its data, or throws a GatewayProblem with a sentence. */
function mutate(operation, input, overrides = {}) {
  return request(operation, { input }, overrides);
}

const documentsReady = loadDocuments();

/** The page's documents by operation name ({ id, body }); an empty map when the gateway serves none. */
async function loadDocuments() {
  try {
    const response = await fetch(DOCUMENTS_URL, { headers: { accept: 'application/json' } });
    const manifest = response.ok ? await response.json() : { operations: [] };
    return new Map(manifest.operations.map((operation) => [operation.name, operation]));
  } catch {
    return new Map();
  }
}

/** POSTs one GraphQL request; resolves with the parsed answer, or throws a GatewayProblem. */
async function post(payload) {
  let response;
  try {
    response = await fetch(GRAPHQL_URL, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(payload),
    });
  } catch {
    throw new GatewayProblem(NETWORK_ERROR, 'NETWORK_ERROR');
  }
  try {
    return { status: response.status, body: await response.json() };
  } catch {
    throw new GatewayProblem(NETWORK_ERROR, `HTTP_${response.status}`);
  }
}

async function request(operation, variables, overrides = {}) {
  const known = (await documentsReady).get(operation);
  if (!known) throw new GatewayProblem(NETWORK_ERROR, 'NO_DOCUMENTS');
  let { status, body } = await post({ documentId: `sha256:${known.id}`, variables });
  // A gateway with a manifest of its own (TRUSTED_DOCUMENTS_FILE) that lacks the page's documents: outside
  // production it runs full queries, so the page sends the document itself.
  if (body?.errors?.[0]?.extensions?.code === 'PERSISTED_DOCUMENT_NOT_FOUND') {
    ({ status, body } = await post({ query: known.body, variables }));
  }
  const error = body?.errors?.[0];
  if (error) throw new GatewayProblem(messageFor(error, overrides), error.extensions?.code ?? 'ERROR');
  if (!body?.data) throw new GatewayProblem(NETWORK_ERROR, `HTTP_${status}`);
  return body.data;
}

// --- rendering: text only, never HTML from a response ---

function element(tag, className, ...children) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  node.append(...children);
  return node;
}

/** "to j***@e*** by email" with the masked destination emphasised; a shorter phrase when parts are missing. */
function deliveryPhrase(details) {
  const medium = { EMAIL: 'by email', SMS: 'by text message' }[details?.deliveryMedium] ?? '';
  const parts = [];
  if (details?.destination) parts.push('to ', element('strong', 'destination', details.destination));
  if (medium) parts.push(parts.length > 0 ? ` ${medium}` : medium);
  return parts;
}

function show(status, state, ...content) {
  status.dataset.state = state;
  status.replaceChildren(...content);
}

function showProblem(status, problem) {
  show(
    status,
    'error',
    element('span', 'message', problem.message),
    ' ',
    element('code', 'code', problem.code),
  );
}

// --- the local outbox: the codes the embedded stand-in "sent", shown as they arrive ---

const OUTBOX_REASONS = {
  SignUp: 'Sign-up code',
  ResendCode: 'New sign-up code',
  ForgotPassword: 'Reset code',
};
/** By purpose first: a sign-in code (MFA or one-time password) whatever call sent it. */
const OUTBOX_PURPOSES = {
  'sign-in': 'Sign-in code',
  invitation: 'Temporary password',
};
const OUTBOX_MEDIA = { EMAIL: 'by email', SMS: 'by text message (SMS)' };
const outbox = {
  section: document.getElementById('outbox'),
  note: document.getElementById('outbox-note'),
  list: document.getElementById('outbox-messages'),
  shown: '',
};

function outboxEntry(message) {
  const time = element('time', 'outbox-time', new Date(message.at).toLocaleTimeString());
  time.dateTime = message.at;
  const entry = element(
    'li',
    'outbox-message',
    element('code', 'outbox-code', message.code),
    element(
      'span',
      'outbox-what',
      `${OUTBOX_PURPOSES[message.purpose] ?? OUTBOX_REASONS[message.reason] ?? message.reason} to `,
      element('strong', 'destination', message.destination),
      ` ${OUTBOX_MEDIA[message.medium] ?? message.medium}`,
      message.identifier === message.destination ? '' : ` (for ${message.identifier})`,
    ),
    time,
  );
  entry.dataset.medium = message.medium;
  entry.dataset.reason = message.reason;
  entry.dataset.purpose = message.purpose ?? '';
  return entry;
}

/** Shows the outbox's newest codes; resolves false once there is no outbox to ask (not local mode). */
async function refreshOutbox() {
  let response;
  let body;
  try {
    response = await fetch(OUTBOX_URL, { headers: { accept: 'application/json' } });
    body = await response.json();
  } catch {
    return response?.status !== 404; // 404: no outbox here; anything else: try again later
  }
  outbox.section.hidden = false;
  if (!response.ok) {
    outbox.note.textContent = String(body?.error ?? `The outbox answered HTTP ${response.status}.`);
    return false;
  }
  const messages = Array.isArray(body?.messages) ? body.messages : [];
  const ids = messages.map((message) => message.id).join(',');
  if (ids === outbox.shown) return true;
  outbox.shown = ids;
  outbox.note.hidden = messages.length > 0;
  outbox.list.replaceChildren(...messages.map(outboxEntry));
  return true;
}

let outboxPolling = refreshOutbox().then((more) => {
  if (more) pollOutbox();
  return more;
});

function pollOutbox() {
  setTimeout(async () => {
    if (document.hidden || (await refreshOutbox())) pollOutbox();
  }, OUTBOX_POLL_MS);
}

/** After a call that may have sent a code: show it now rather than at the next poll. */
function refreshOutboxSoon() {
  outboxPolling = outboxPolling.then((there) => (there ? refreshOutbox() : false));
}

// --- the username, kept between the steps (and across reloads in this tab) ---

const forms = {
  signUp: document.getElementById('sign-up'),
  resend: document.getElementById('resend'),
  confirm: document.getElementById('confirm'),
  signIn: document.getElementById('sign-in'),
  signInStep: document.getElementById('sign-in-step'),
  forgotPassword: document.getElementById('forgot-password'),
  resetPassword: document.getElementById('reset-password'),
};
/** The sign-in card's line: what the last sign-in asked for, or who is signed in. */
const signInStatus = document.getElementById('sign-in-status');
const usernameInputs = Object.values(forms)
  .map((form) => form.elements.namedItem('username'))
  .filter(Boolean);

function rememberUsername(value, except) {
  for (const input of usernameInputs) if (input !== except) input.value = value;
  try {
    sessionStorage.setItem(USERNAME_KEY, value);
  } catch {
    // Storage may be off (private mode, policies); the fields still share the value on this page.
  }
}

for (const input of usernameInputs) {
  input.addEventListener('input', () => {
    rememberUsername(input.value, input);
    // A step (a code to enter, factors to choose) belongs to the user it was asked for.
    if (pendingStep) {
      endStep();
      show(signInStatus, 'idle');
    }
  });
}
try {
  const saved = sessionStorage.getItem(USERNAME_KEY);
  if (saved) rememberUsername(saved);
} catch {
  // See rememberUsername.
}

// --- the proof-of-work challenge (ALTCHA), when the gateway asks for one ---

/** The widget of each form whose call may need a solved challenge. */
const widgets = new Map();
let challengeMode = 'OFF';
const challengeReady = setUpChallenge();

/** Asks the gateway whether it wants challenges; if so, loads the widget from the gateway and adds it. */
async function setUpChallenge() {
  try {
    ({ challengeMode } = (await request('ServiceInfo', {})).serviceInfo);
  } catch {
    return; // The forms still work; an answer CHALLENGE_REQUIRED would then explain itself.
  }
  if (challengeMode === 'OFF') return;
  const styles = Object.assign(document.createElement('link'), { rel: 'stylesheet', href: WIDGET_STYLES });
  document.head.append(styles);
  await import(WIDGET_SCRIPT);
  // The widget's build without bundled workers: it solves in this worker, from this origin.
  globalThis.$altcha.algorithms.set('PBKDF2/SHA-256', () => new Worker(WIDGET_WORKER));
  // The calls that may send a code, and the sign-in steps (which may send one too): confirming signs in.
  const challenged = [
    forms.signUp,
    forms.resend,
    forms.confirm,
    forms.signIn,
    forms.signInStep,
    forms.forgotPassword,
  ];
  for (const form of challenged) {
    const widget = document.createElement('altcha-widget');
    widget.setAttribute('challenge', CHALLENGE_URL);
    // No artificial delay: the page says "Working…" while it solves.
    widget.setAttribute('configuration', JSON.stringify({ minDuration: 0 }));
    // In adaptive mode most calls need none: the widget shows up when the gateway asks.
    widget.hidden = challengeMode === 'ADAPTIVE';
    form.querySelector('button[type=submit]').before(widget);
    widgets.set(form, widget);
  }
}

/** A fresh solution from the form's widget: the one the user already got by ticking it, or one solved now. */
async function solveChallenge(widget) {
  widget.hidden = false;
  const given = widget.querySelector('input[type=hidden]')?.value;
  if (widget.getState() === 'verified' && given) return given;
  const result = await widget.verify();
  if (!result?.payload) {
    throw new GatewayProblem(
      'The “I’m not a robot” check could not finish. Please try again.',
      'CHALLENGE_UNSOLVED',
    );
  }
  return result.payload;
}

/**
 * Runs a mutation of a form that sends codes: with a solved challenge first when the gateway always wants one,
 * or again with one when it answers CHALLENGE_REQUIRED. A solution answers one call, so the widget is reset.
 */
async function mutateChallenged(form, operation, input, overrides = {}) {
  await challengeReady;
  const widget = widgets.get(form);
  if (!widget) return mutate(operation, input, overrides);
  try {
    if (challengeMode === 'ALWAYS' || !widget.hidden) {
      return await mutate(
        operation,
        { ...input, challengeResponse: await solveChallenge(widget) },
        overrides,
      );
    }
    try {
      return await mutate(operation, input, overrides);
    } catch (problem) {
      if (!(problem instanceof GatewayProblem) || problem.code !== 'CHALLENGE_REQUIRED') throw problem;
      return await mutate(
        operation,
        { ...input, challengeResponse: await solveChallenge(widget) },
        overrides,
      );
    }
  } finally {
    widget.reset();
  }
}

// --- the steps ---

/** Wires a form: validates, disables it while the call runs, shows the outcome in its status line. */
function onSubmit(form, statusId, run) {
  const status = document.getElementById(statusId);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    // With the button that sent it (its name and value), which may need fewer fields (data-needs: their names).
    const values = Object.fromEntries(new FormData(form, event.submitter));
    const username = String(values.username ?? '').trim();
    const needs = event.submitter?.dataset.needs?.split(' ');
    const missing = [...form.elements].find(
      (field) =>
        field.required && (!needs || needs.includes(field.name)) && String(field.value).trim() === '',
    );
    if (missing) {
      show(
        status,
        'error',
        `Please fill in “${missing.labels?.[0]?.firstChild?.textContent?.trim() ?? missing.name}”.`,
      );
      missing.focus();
      return;
    }
    if (form.elements.namedItem('username')) rememberUsername(username);
    const buttons = [...form.querySelectorAll('button')];
    for (const button of buttons) button.disabled = true;
    show(status, 'pending', 'Working…');
    try {
      await run(username, values, status);
    } catch (problem) {
      showProblem(
        status,
        problem instanceof GatewayProblem ? problem : new GatewayProblem(NETWORK_ERROR, 'ERROR'),
      );
    } finally {
      for (const button of buttons) button.disabled = false;
      refreshOutboxSoon();
    }
  });
}

onSubmit(forms.signUp, 'sign-up-status', async (username, values, status) => {
  const input = { username, password: String(values.password) };
  if (LOOKS_LIKE_EMAIL.test(username)) input.userAttributes = [{ name: 'email', value: username }];
  const { signUp } = await mutateChallenged(forms.signUp, 'SignUp', input);
  forms.signUp.elements.namedItem('password').value = '';
  if (signUp.userConfirmed) {
    show(status, 'ok', 'Account created and already confirmed: nothing more to do.');
  } else if (signUp.codeDeliveryDetails) {
    show(
      status,
      'ok',
      'Account created. We sent a code ',
      ...deliveryPhrase(signUp.codeDeliveryDetails),
      '. Enter it in step 3.',
    );
    forms.confirm.elements.namedItem('code').focus();
  } else {
    show(status, 'ok', 'Account created, but no code was sent. Use step 2 to send one.');
  }
});

onSubmit(forms.resend, 'resend-status', async (username, _values, status) => {
  const { resendConfirmationCode } = await mutateChallenged(forms.resend, 'Resend', { username });
  show(
    status,
    'ok',
    'We sent a new code ',
    ...deliveryPhrase(resendConfirmationCode.codeDeliveryDetails),
    '. Earlier codes no longer work.',
  );
  forms.confirm.elements.namedItem('code').focus();
});

onSubmit(forms.confirm, 'confirm-status', async (username, values, status) => {
  const confirmationCode = String(values.code).replace(/\s+/g, '');
  const { confirmSignUp } = await mutate('Confirm', { username, confirmationCode });
  if (!confirmSignUp.confirmed) throw new GatewayProblem(messageFor({}), 'NOT_CONFIRMED');
  forms.confirm.elements.namedItem('code').value = '';
  const confirmed = element('strong', 'confirmed', 'Confirmed.');
  // No session: the pool gives none (or the gateway signs in by password only); the user signs in in step 4.
  if (!confirmSignUp.session) {
    show(status, 'ok', confirmed, ` ${username} can now sign in.`);
    return;
  }
  // The session signs this user in once, within minutes: the code just typed proved who they are.
  let signIn;
  try {
    ({ signIn } = await mutateChallenged(
      forms.confirm,
      'SignIn',
      { username, session: confirmSignUp.session },
      SIGN_IN_ERROR_MESSAGES,
    ));
  } catch (problem) {
    if (!(problem instanceof GatewayProblem)) throw problem;
    show(
      status,
      'ok',
      confirmed,
      ` ${username} can now sign in, but signing in right away did not work: ${problem.message} `,
      element('code', 'code', problem.code),
    );
    return;
  }
  if (signInOutcome(signIn) === 'signed-in') {
    show(status, 'ok', confirmed, ` ${username} is signed in, without a second code.`);
  } else {
    show(status, 'ok', confirmed, ' One more step to sign in: see step 4.');
  }
});

// --- signing in: the tokens live in this script's memory only ---

/**
 * The signed-in user's tokens, or null. Never written to storage, where any script of this origin (or an
 * extension) could read them for as long as they live; a reload forgets them, and the HttpOnly cookie the
 * gateway set brings new ones ("Refresh").
 */
let tokens = null;
let expiresAt = 0;
let countdown;
/**
 * The step signIn asked for ({ username, session, challenge }), until it is answered; at SELECT_CHALLENGE also
 * the factor chosen (`answer`).
 */
let pendingStep = null;

const CODE_CHALLENGES = new Set(['SMS_MFA', 'EMAIL_OTP', 'SMS_OTP', 'SOFTWARE_TOKEN_MFA']);
/** The factors SELECT_CHALLENGE may offer that this page answers, as their buttons say them. */
const FACTOR_BUTTONS = {
  PASSWORD: 'Use my password',
  EMAIL_OTP: 'Email me a code',
  SMS_OTP: 'Text me a code',
};

const session = {
  section: document.getElementById('session'),
  title: document.getElementById('session-title'),
  user: document.getElementById('session-user'),
  email: document.getElementById('session-email'),
  sub: document.getElementById('session-sub'),
  expiry: document.getElementById('session-expiry'),
  status: document.getElementById('session-status'),
  refresh: document.getElementById('refresh'),
  signOut: document.getElementById('sign-out'),
};

/**
 * The claims of a JWT (its middle part, base64url JSON), for display only: the page got the token from its own
 * gateway, and has nothing to protect with it. An API that accepts the token verifies its signature.
 */
function claimsOf(jwt) {
  try {
    const part = String(jwt).split('.')[1] ?? '';
    const base64 = part
      .replace(/-/g, '+')
      .replace(/_/g, '/')
      .padEnd(Math.ceil(part.length / 4) * 4, '=');
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return {};
  }
}

function whoIsSignedIn() {
  const claims = claimsOf(tokens?.idToken);
  return String(claims.email ?? claims.phone_number ?? claims['cognito:username'] ?? 'the user');
}

/** "59:58", or "1:00:00" for an hour or more. */
function clock(seconds) {
  const pad = (n) => String(n).padStart(2, '0');
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return h > 0 ? `${h}:${pad(m)}:${pad(seconds % 60)}` : `${m}:${pad(seconds % 60)}`;
}

function tick() {
  const left = Math.max(0, Math.round((expiresAt - Date.now()) / 1000));
  session.expiry.textContent = left > 0 ? clock(left) : 'expired: refresh for new tokens';
  session.expiry.dateTime = new Date(expiresAt).toISOString();
}

function showSignedIn(newTokens) {
  tokens = newTokens;
  expiresAt = Date.now() + Number(newTokens.expiresIn) * 1000;
  const claims = claimsOf(newTokens.idToken);
  session.section.dataset.state = 'signed-in';
  session.title.textContent = 'Signed in';
  session.email.textContent = String(claims.email ?? claims.phone_number ?? '(none)');
  session.sub.textContent = String(claims.sub ?? '');
  session.user.hidden = false;
  // An error left by an earlier refresh no longer holds once someone is signed in.
  show(session.status, 'idle');
  tick();
  clearInterval(countdown);
  countdown = setInterval(tick, 1000);
}

function showSignedOut() {
  tokens = null;
  // "Signed in as ..." no longer holds.
  show(signInStatus, 'idle');
  clearInterval(countdown);
  session.section.dataset.state = 'signed-out';
  session.title.textContent = 'Not signed in';
  session.user.hidden = true;
  session.email.textContent = '';
  session.sub.textContent = '';
  session.expiry.textContent = '';
}

/** A sign-in step's answer: tokens (signed in) or the next step, whose form is then shown. */
function signInOutcome(payload) {
  if (payload?.tokens) {
    endStep();
    showSignedIn(payload.tokens);
    return 'signed-in';
  }
  if (payload?.nextStep) {
    askFor(payload.nextStep);
    return 'next-step';
  }
  throw new GatewayProblem(messageFor({}), 'NO_TOKENS');
}

function stepField(name, wanted) {
  const input = forms.signInStep.elements.namedItem(name);
  input.closest('label').hidden = !wanted;
  // A disabled field is neither required nor sent.
  input.disabled = !wanted;
  input.required = wanted;
  input.value = '';
}

/**
 * Shows the form for the step Cognito asks for: a code, a new password (with any attributes it needs), or the
 * choice of a factor (SELECT_CHALLENGE), one button each.
 */
function askFor(nextStep) {
  const { challenge } = nextStep;
  const form = forms.signInStep;
  const prompt = document.getElementById('sign-in-step-prompt');
  const factors = document.getElementById('sign-in-factors');
  for (const old of form.querySelectorAll('.attribute-field')) old.remove();
  document.getElementById('sign-in-step-status').replaceChildren();
  const code = CODE_CHALLENGES.has(challenge);
  const newPassword = challenge === 'NEW_PASSWORD_REQUIRED';
  const offered = (challenge === 'SELECT_CHALLENGE' ? (nextStep.availableChallenges ?? []) : []).filter(
    (factor) => Object.hasOwn(FACTOR_BUTTONS, factor),
  );
  stepField('code', code);
  stepField('newPassword', newPassword);
  stepField('password', false);
  factors.replaceChildren(...offered.map(factorButton));
  factors.hidden = offered.length === 0;
  // At the choice there is nothing to continue with until the password is chosen.
  form.querySelector('button[type=submit]').hidden = offered.length > 0;
  form.dataset.challenge = challenge;
  if (!code && !newPassword && offered.length === 0) {
    pendingStep = null;
    form.hidden = true;
    throw new GatewayProblem(
      `The user pool asks for ${challenge}, which this page does not answer. Sign in another way.`,
      'UNSUPPORTED_STEP',
    );
  }
  pendingStep = { username: nextStep.username, session: nextStep.session, challenge };
  if (offered.length > 0) {
    prompt.replaceChildren('Choose how to sign in:');
  } else if (newPassword) {
    prompt.replaceChildren('This account has a temporary password: choose a new one to finish signing in.');
    const button = form.querySelector('button[type=submit]');
    for (const name of nextStep.requiredAttributes ?? []) {
      const input = Object.assign(document.createElement('input'), {
        name: `attribute:${name}`,
        required: true,
      });
      const label = element('label', 'attribute-field', name, input);
      (widgets.get(form) ?? button).before(label);
    }
  } else if (challenge === 'SOFTWARE_TOKEN_MFA') {
    prompt.replaceChildren('Enter the code your authenticator app shows for this account.');
  } else {
    prompt.replaceChildren(
      'We sent a sign-in code ',
      ...deliveryPhrase(nextStep.codeDeliveryDetails),
      '. Enter it here.',
    );
  }
  form.hidden = false;
  (factors.querySelector('button') ?? form.querySelector('input:not([disabled])'))?.focus();
}

/**
 * A factor's button at SELECT_CHALLENGE: a code is sent at once; the password first shows its field, and
 * "Continue" sends it.
 */
function factorButton(factor) {
  const button = element('button', 'secondary', FACTOR_BUTTONS[factor]);
  button.type = 'button';
  button.addEventListener('click', () => {
    if (!pendingStep) return;
    pendingStep.answer = factor;
    const form = forms.signInStep;
    const password = factor === 'PASSWORD';
    stepField('password', password);
    form.querySelector('button[type=submit]').hidden = !password;
    if (password) form.elements.namedItem('password').focus();
    else form.requestSubmit();
  });
  return button;
}

function endStep() {
  pendingStep = null;
  forms.signInStep.hidden = true;
}

/**
 * What signIn is asked, by the button pressed: "Sign in" (or Enter) sends the password; "Email me a code" asks
 * for a one-time code by email; "Other ways to sign in" sends the username alone, and Cognito offers the factors.
 */
function signInInput(username, values) {
  if (values.factor === 'EMAIL_OTP') return { username, preferredChallenge: 'EMAIL_OTP' };
  if (values.factor === 'SELECT_CHALLENGE') return { username };
  return { username, password: String(values.password) };
}

/** The sign-in card's line above the next step, by what was asked and what came back. */
function nextStepLead(input, nextStep) {
  if (input.password !== undefined) return 'Password accepted. One more step:';
  if (nextStep.challenge !== 'SELECT_CHALLENGE') return 'Code sent. One more step:';
  // Cognito offers the choice instead of a factor the user cannot use (no verified email address).
  if (input.preferredChallenge) return 'This account cannot get a code by email. Choose another way:';
  return 'One more step:';
}

onSubmit(forms.signIn, 'sign-in-status', async (username, values, status) => {
  endStep();
  show(document.getElementById('sign-in-step-status'), 'idle');
  const input = signInInput(username, values);
  const { signIn } = await mutateChallenged(forms.signIn, 'SignIn', input, SIGN_IN_ERROR_MESSAGES);
  forms.signIn.elements.namedItem('password').value = '';
  if (signInOutcome(signIn) === 'signed-in') {
    show(status, 'ok', element('strong', 'confirmed', 'Signed in'), ` as ${whoIsSignedIn()}.`);
  } else {
    show(status, 'ok', nextStepLead(input, signIn.nextStep));
  }
});

onSubmit(forms.signInStep, 'sign-in-step-status', async (_username, values, status) => {
  const step = pendingStep;
  if (!step) throw new GatewayProblem(ERROR_MESSAGES.SESSION_EXPIRED, 'SESSION_EXPIRED');
  const input = { username: step.username, session: step.session, challenge: step.challenge };
  if (CODE_CHALLENGES.has(step.challenge)) input.code = String(values.code).replace(/\s+/g, '');
  if (step.challenge === 'NEW_PASSWORD_REQUIRED') {
    input.newPassword = String(values.newPassword);
    const attributes = Object.entries(values)
      .filter(([name]) => name.startsWith('attribute:'))
      .map(([name, value]) => ({ name: name.slice('attribute:'.length), value: String(value) }));
    if (attributes.length > 0) input.userAttributes = attributes;
  }
  if (step.challenge === 'SELECT_CHALLENGE') {
    input.answer = step.answer;
    if (step.answer === 'PASSWORD') input.password = String(values.password);
  }
  let respondToSignInChallenge;
  try {
    ({ respondToSignInChallenge } = await mutateChallenged(
      forms.signInStep,
      'RespondToSignInChallenge',
      input,
      CODE_CHALLENGES.has(step.challenge) ? SIGN_IN_CODE_ERROR_MESSAGES : SIGN_IN_ERROR_MESSAGES,
    ));
  } catch (problem) {
    // The step's session is spent: only a new sign-in helps. A password refused at the choice spends it too:
    // Cognito takes one answer per session.
    const spent =
      problem instanceof GatewayProblem &&
      (problem.code === 'SESSION_EXPIRED' ||
        (step.answer === 'PASSWORD' && problem.code === 'NOT_AUTHORIZED'));
    if (spent) endStep();
    throw problem;
  }
  if (signInOutcome(respondToSignInChallenge) === 'signed-in') {
    show(status, 'ok', element('strong', 'confirmed', 'Signed in'), ` as ${whoIsSignedIn()}.`);
    // The card's own line ("Code sent. One more step:") is over.
    show(signInStatus, 'ok', element('strong', 'confirmed', 'Signed in'), ` as ${whoIsSignedIn()}.`);
  } else if (step.challenge === 'SELECT_CHALLENGE' && step.answer !== 'PASSWORD') {
    show(status, 'ok', 'Code sent. Enter it above.');
  } else {
    show(status, 'ok', 'Accepted. One more step above.');
  }
});

/** Wires a button of the signed-in card: both are disabled while it runs, its outcome in the card's status. */
function onClick(button, run) {
  button.addEventListener('click', async () => {
    session.refresh.disabled = true;
    session.signOut.disabled = true;
    show(session.status, 'pending', 'Working…');
    try {
      await run(session.status);
    } catch (problem) {
      // The gateway cleared its cookie in the same answer: what this page holds is all that is left.
      if (problem instanceof GatewayProblem && problem.code === 'NOT_SIGNED_IN') showSignedOut();
      showProblem(
        session.status,
        problem instanceof GatewayProblem ? problem : new GatewayProblem(NETWORK_ERROR, 'ERROR'),
      );
    } finally {
      session.refresh.disabled = false;
      session.signOut.disabled = false;
    }
  });
}

onClick(session.refresh, async (status) => {
  // No variables: the browser sends the HttpOnly cookie, which this script cannot see.
  const { refreshTokens } = await request('RefreshTokens', {});
  showSignedIn(refreshTokens.tokens);
  show(
    status,
    'ok',
    `New tokens for ${whoIsSignedIn()}, valid for ${duration(refreshTokens.tokens.expiresIn)}.`,
  );
});

onClick(session.signOut, async (status) => {
  await request('SignOut', {});
  showSignedOut();
  show(
    status,
    'ok',
    'Signed out: any refresh token this browser held is revoked at Cognito and its cookie cleared.',
  );
});

onSubmit(forms.forgotPassword, 'forgot-password-status', async (username, _values, status) => {
  const { forgotPassword } = await mutateChallenged(
    forms.forgotPassword,
    'ForgotPassword',
    { username },
    RESET_ERROR_MESSAGES,
  );
  show(
    status,
    'ok',
    'We sent a reset code ',
    ...deliveryPhrase(forgotPassword.codeDeliveryDetails),
    '. Enter it below with a new password within an hour.',
  );
  forms.resetPassword.elements.namedItem('code').focus();
});

onSubmit(forms.resetPassword, 'reset-password-status', async (username, values, status) => {
  const confirmationCode = String(values.code).replace(/\s+/g, '');
  const { confirmForgotPassword } = await mutate(
    'ConfirmForgotPassword',
    { username, confirmationCode, password: String(values.password) },
    RESET_ERROR_MESSAGES,
  );
  if (!confirmForgotPassword.passwordChanged) throw new GatewayProblem(messageFor({}), 'NOT_CHANGED');
  forms.resetPassword.elements.namedItem('code').value = '';
  forms.resetPassword.elements.namedItem('password').value = '';
  show(
    status,
    'ok',
    element('strong', 'confirmed', 'Password changed.'),
    ` ${username} can now sign in with the new password.`,
  );
});

// Browsers keep the session's __Host- cookie (it is Secure) only from a secure context: https, or
// http://localhost and http://127.0.0.1. From another plain-http host name sign-in answers, but no cookie is
// kept, and a refresh finds none: say so before anyone wonders.
if (!window.isSecureContext) {
  show(
    session.status,
    'error',
    'This page is not a secure context, so the browser will not keep the sign-in cookie: open it over https, or as http://localhost.',
  );
}
