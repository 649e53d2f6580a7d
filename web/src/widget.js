// TEA chat widget: one <script> tag, talks to Rasa's socket.io channel.
//
//   <script src="http://HOST:8080/widget.js" data-rasa-url="http://localhost:5005" defer></script>
//
// Optional attributes: data-lang="bg|en" (else the page's <html lang>), data-socket-path
// (default /socket.io/, for a Rasa behind a reverse proxy). The widget lives in a shadow
// root, so the host page's CSS cannot break it and its CSS cannot leak into the page.
// Every bot or user text reaches the DOM through textContent / createElement, never HTML.

import { io } from 'socket.io-client';
import css from './widget.css';
import MESSAGES from './messages.json';

const LANGS = ['bg', 'en'];
const DEFAULT_RASA_URL = 'http://localhost:5005';
const MAX_HISTORY = 200; // messages kept in localStorage
const TYPING_TIMEOUT_MS = 30000; // hide the typing dots if no answer ever comes
// URLs in bot text; trailing punctuation belongs to the sentence, not to the link.
const URL_RE = /https?:\/\/[^\s<>"'«»„“]+/g;
const TRAILING_PUNCT_RE = /[.,;:!?)\]}]+$/;
// "Статия: POP3 или IMAP - https://..." (bot/knowledge.py links_text): label, title, URL.
const ARTICLE_LINE_RE = /^([^:]{1,40}: )?(.+?) - (https?:\/\/\S+)$/;
// International or national phone numbers in bot text, e.g. "+359 2 439 67 00".
const PHONE_RE = /(?:\+\d{1,3}|\b0)[\d ]{6,14}\d\b/g;

// document.currentScript is only set while this script runs for the first time.
const SCRIPT = document.currentScript;

function pickLang(value) {
  const code = String(value || '').slice(0, 2).toLowerCase();
  return LANGS.includes(code) ? code : 'bg';
}

function httpOrigin(value) {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}

function readConfig(script) {
  const data = (script && script.dataset) || {};
  return {
    rasaOrigin: httpOrigin(data.rasaUrl) || DEFAULT_RASA_URL,
    socketPath: data.socketPath || '/socket.io/',
    lang: pickLang(data.lang || document.documentElement.lang),
  };
}

// --- persistence: session id, language, open/closed, transcript ------------------------------
function storage(key) {
  return {
    load() {
      try {
        return JSON.parse(window.localStorage.getItem(key) || '{}') || {};
      } catch {
        return {}; // storage disabled or garbage: start afresh
      }
    },
    save(state) {
      try {
        // A message the server has not acknowledged yet may hold a password it will mask.
        const history = state.history.filter((m) => !m.pending).slice(-MAX_HISTORY);
        window.localStorage.setItem(key, JSON.stringify({ ...state, history }));
      } catch {
        // private mode / quota: the widget still works, it just forgets on reload
      }
    },
  };
}

function cleanButtons(list) {
  return (Array.isArray(list) ? list : [])
    .filter((b) => b && typeof b.title === 'string' && typeof b.payload === 'string')
    .map(({ title, payload }) => ({ title, payload }));
}

function cleanHistory(list) {
  return (Array.isArray(list) ? list : [])
    .filter((m) => m && ['bot', 'user', 'agent'].includes(m.from) && typeof m.text === 'string')
    .map((m) => ({ from: m.from, text: m.text, buttons: cleanButtons(m.buttons), ...agentOf(m) }));
}

/** A support agent's message carries their display name (bot/channels/agent.py). */
function agentOf(message) {
  const name = message.from === 'agent' && typeof message.agent === 'string' ? message.agent.slice(0, 100) : '';
  return name ? { agent: name } : {};
}

// --- DOM helpers ------------------------------------------------------------------------------
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === false || value == null) continue;
    if (key === 'text') el.textContent = value;
    else if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  el.append(...children.filter(Boolean)); // strings become text nodes
  return el;
}

function icon(pathData) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', pathData);
  svg.append(path);
  return svg;
}

const ICON_CHAT = 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z';
const ICON_CLOSE = 'M6 6l12 12M18 6L6 18';
const ICON_SEND = 'M3 20l18-8L3 4v6l12 2-12 2z';

function newTabLink(url, label, newTabHint) {
  const link = h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, label);
  link.append(h('span', { class: 'sr-only', text: ` ${newTabHint}` }));
  return link;
}

/** Appends `text`, with phone numbers as tap-to-call links that never wrap. */
function appendPhones(parent, text) {
  let last = 0;
  for (const match of text.matchAll(PHONE_RE)) {
    parent.append(text.slice(last, match.index));
    parent.append(h('a', { href: `tel:${match[0].replace(/[^\d+]/g, '')}`, class: 'phone' }, match[0]));
    last = match.index + match[0].length;
  }
  parent.append(text.slice(last));
}

/** Appends one line of bot text. An article line ("Article: <title> - <url>", as the
 * knowledge base writes it) shows the title as the link; other URLs are linked as they are. */
function appendLine(parent, line, newTabHint) {
  const article = ARTICLE_LINE_RE.exec(line);
  if (article && httpOrigin(article[3])) {
    if (article[1]) parent.append(article[1]);
    parent.append(newTabLink(article[3], article[2], newTabHint));
    return;
  }
  let last = 0;
  for (const match of line.matchAll(URL_RE)) {
    const url = match[0].replace(TRAILING_PUNCT_RE, '');
    if (!httpOrigin(url)) continue;
    appendPhones(parent, line.slice(last, match.index));
    parent.append(newTabLink(url, url, newTabHint));
    last = match.index + url.length;
  }
  appendPhones(parent, line.slice(last));
}

/** Appends bot `text` to `parent`: links that open in a new tab, phones to tap. */
function appendLinkified(parent, text, newTabHint) {
  text.split('\n').forEach((line, index) => {
    if (index) parent.append('\n');
    appendLine(parent, line, newTabHint);
  });
}

// --- the widget -------------------------------------------------------------------------------
function mount(config) {
  const store = storage(`tea-chat:${config.rasaOrigin}`);
  const saved = store.load();
  const state = {
    sessionId: typeof saved.sessionId === 'string' && saved.sessionId ? saved.sessionId : null,
    lang: pickLang(saved.lang || config.lang),
    open: saved.open === true,
    history: cleanHistory(saved.history),
    // A support agent holds the chat (between the takeover notices): no "assistant is typing".
    withAgent: saved.withAgent === true,
  };
  const save = () => store.save(state);
  const t = (key) => MESSAGES[state.lang][key];

  let socket = null;
  let ready = false; // connected and the session confirmed: messages reach our room
  let everConnected = false;
  let typingTimer = 0;
  const outbox = []; // messages typed while not ready, sent on session_confirm

  // Elements whose text follows the language toggle: [element, attribute or 'text', key].
  const bindings = [];
  const bind = (el, attr, key) => {
    bindings.push([el, attr, key]);
    return el;
  };

  const launcherText = bind(h('span', { class: 'launcher-text' }), 'text', 'launcher');
  const launcher = h(
    'button',
    { type: 'button', class: 'launcher', 'aria-controls': 'tea-chat-panel', 'aria-expanded': 'false' },
    icon(ICON_CHAT),
    launcherText,
  );

  const title = bind(h('h2', { id: 'tea-chat-title', class: 'title' }), 'text', 'title');
  const subtitle = bind(h('p', { class: 'subtitle' }), 'text', 'subtitle');
  const langButtons = LANGS.map((code) =>
    h(
      'button',
      {
        type: 'button',
        class: 'lang',
        lang: code,
        'aria-label': code === 'bg' ? 'Български' : 'English',
        onclick: () => switchLanguage(code),
      },
      code === 'bg' ? 'БГ' : 'EN',
    ),
  );
  const langGroup = bind(h('div', { class: 'langs', role: 'group' }, ...langButtons), 'aria-label', 'language');
  const closeButton = bind(
    h('button', { type: 'button', class: 'icon-button close', onclick: () => setOpen(false) }, icon(ICON_CLOSE)),
    'aria-label',
    'close',
  );
  const status = h('p', { class: 'status', role: 'status', hidden: true });
  const log = h('div', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions' });
  const quick = bind(h('div', { class: 'quick', role: 'group' }), 'aria-label', 'quickReplies');
  const typingText = bind(h('span', { class: 'sr-only' }), 'text', 'typing');
  const typing = h(
    'div',
    { class: 'typing', hidden: true },
    h('span', { class: 'dot' }),
    h('span', { class: 'dot' }),
    h('span', { class: 'dot' }),
    typingText,
  );
  const body = h('div', { class: 'body' }, log, quick, typing);
  const inputLabel = bind(h('label', { for: 'tea-chat-input', class: 'sr-only' }), 'text', 'inputLabel');
  const input = bind(
    h('input', { id: 'tea-chat-input', class: 'input', type: 'text', autocomplete: 'off', maxlength: '2000' }),
    'placeholder',
    'placeholder',
  );
  const sendButton = bind(h('button', { type: 'submit', class: 'icon-button send' }, icon(ICON_SEND)), 'aria-label', 'send');
  const form = h('form', { class: 'composer', onsubmit: onSubmit }, inputLabel, input, sendButton);
  const panel = h(
    'section',
    { id: 'tea-chat-panel', class: 'panel', role: 'dialog', 'aria-labelledby': 'tea-chat-title', hidden: true },
    h('header', { class: 'header' }, h('div', { class: 'heading' }, title, subtitle), langGroup, closeButton),
    status,
    body,
    form,
  );
  const frame = h('div', { class: 'frame' }, panel, launcher);

  const host = h('div', { id: 'tea-chat-widget' });
  const root = host.attachShadow({ mode: 'open' });
  root.append(h('style', { text: css }), frame);
  document.body.append(host);

  launcher.addEventListener('click', () => setOpen(!state.open));
  panel.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      setOpen(false);
    }
  });

  function applyLanguage() {
    for (const [el, attr, key] of bindings) {
      if (attr === 'text') el.textContent = t(key);
      else el.setAttribute(attr, t(key));
    }
    for (const button of langButtons) button.setAttribute('aria-pressed', String(button.lang === state.lang));
    if (!status.hidden) setStatus(status.dataset.key);
  }

  function setStatus(key) {
    status.hidden = !key;
    status.dataset.key = key || '';
    status.textContent = key ? t(key) : '';
  }

  function scrollToEnd() {
    body.scrollTop = body.scrollHeight;
  }

  const userBubbles = new Map(); // message id -> the text node of its bubble, until acknowledged

  // The first bubble of the answer being received (Rasa sends each paragraph on its own):
  // a long answer is scrolled to its start, so its first line is read first.
  let answerStart = null;

  function scrollToAnswer(row) {
    if (!answerStart) answerStart = row;
    const top = answerStart.getBoundingClientRect().top - body.getBoundingClientRect().top;
    const height = row.getBoundingClientRect().bottom - answerStart.getBoundingClientRect().top;
    if (height > body.clientHeight) body.scrollTop += top - 8;
    else scrollToEnd();
  }

  function renderMessage(message) {
    const bubble = h('div', { class: `bubble ${message.from}` });
    if (message.from === 'agent') {
      // A person, not the bot: their name and role above the text, visibly and for screen readers.
      bubble.append(h('span', { class: 'agent-name', text: `${message.agent || t('agent')} · ${t('agent')}` }));
      bubble.append(h('span', { class: 'sr-only', text: ': ' }));
    } else {
      bubble.append(h('span', { class: 'sr-only', text: `${t(message.from === 'user' ? 'you' : 'bot')}: ` }));
    }
    if (message.from !== 'user') appendLinkified(bubble, message.text, t('newTab'));
    else {
      const text = document.createTextNode(message.text);
      bubble.append(text);
      if (message.pending) userBubbles.set(message.id, text);
    }
    const row = h('div', { class: `row ${message.from}` }, bubble);
    log.append(row);
    return row;
  }

  /** The server kept the message (masked, if it held a password): show and store that. */
  function onUserAck(data) {
    if (!data || typeof data.message_id !== 'string') return;
    const message = state.history.find((m) => m.id === data.message_id);
    if (!message) return;
    if (data.masked && typeof data.text === 'string') {
      message.text = data.text;
      const node = userBubbles.get(message.id);
      if (node) node.textContent = data.text;
    }
    delete message.pending;
    userBubbles.delete(message.id);
    save();
  }

  /** Quick replies of the latest message, if it is the bot's; older ones are spent. */
  function renderQuickReplies() {
    quick.replaceChildren();
    const last = state.history[state.history.length - 1];
    if (!last || last.from !== 'bot') return;
    for (const button of last.buttons) {
      quick.append(
        h('button', { type: 'button', class: 'reply', onclick: () => sendUser(button.title, button.payload) }, button.title),
      );
    }
  }

  function addMessage(message) {
    state.history.push(message);
    if (state.history.length > MAX_HISTORY) state.history.splice(0, state.history.length - MAX_HISTORY);
    save();
    const row = renderMessage(message);
    renderQuickReplies();
    if (message.from === 'bot') scrollToAnswer(row);
    else {
      answerStart = null;
      scrollToEnd();
    }
  }

  function showTyping(on) {
    window.clearTimeout(typingTimer);
    typing.hidden = !on;
    if (on) {
      typingTimer = window.setTimeout(() => showTyping(false), TYPING_TIMEOUT_MS);
      scrollToEnd();
    }
  }

  function deliver(message, messageId) {
    showTyping(!state.withAgent);
    const data = { message, message_id: messageId };
    if (ready) socket.emit('user_uttered', { ...data, session_id: state.sessionId });
    else outbox.push(data);
    connect();
  }

  /** The user's turn: `shown` goes into the transcript, `message` (text or payload) to Rasa. */
  function sendUser(shown, message) {
    const id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
    addMessage({ from: 'user', text: shown, buttons: [], id, pending: true });
    deliver(message, id);
    input.focus();
  }

  function onSubmit(event) {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    sendUser(text, text);
  }

  function switchLanguage(code) {
    if (code === state.lang) return;
    state.lang = code;
    save();
    applyLanguage();
    // The conversation's language is the bot's `language` slot; this payload sets it.
    deliver(`/switch_language{"target_language": "${code}"}`);
  }

  function onBotMessage(data) {
    if (!data || typeof data !== 'object') return;
    const text = typeof data.text === 'string' ? data.text : '';
    const buttons = cleanButtons(data.quick_replies || data.buttons);
    if (!text && !buttons.length) return; // attachments etc.: nothing this widget shows
    showTyping(false);
    if (data.takeover === 'claim' || data.takeover === 'release') state.withAgent = data.takeover === 'claim';
    const agent = data.agent && typeof data.agent.name === 'string' ? data.agent.name : '';
    if (agent) addMessage({ from: 'agent', text, buttons: [], ...agentOf({ from: 'agent', agent }) });
    else addMessage({ from: 'bot', text, buttons });
  }

  function connect() {
    if (socket) return;
    socket = io(config.rasaOrigin, { path: config.socketPath, reconnectionDelayMax: 5000 });
    // Runs on every (re)connection: a restarted server must put this socket in our room again.
    socket.on('connect', () => socket.emit('session_request', { session_id: state.sessionId }));
    socket.on('session_confirm', (sessionId) => {
      if (typeof sessionId === 'string' && sessionId) state.sessionId = sessionId;
      save();
      ready = true;
      everConnected = true;
      setStatus(null);
      while (outbox.length) socket.emit('user_uttered', { ...outbox.shift(), session_id: state.sessionId });
    });
    socket.on('bot_uttered', onBotMessage);
    socket.on('user_uttered_ack', onUserAck);
    const lost = () => {
      ready = false;
      setStatus(everConnected ? 'reconnecting' : 'connecting');
    };
    socket.on('connect_error', lost);
    socket.on('disconnect', (reason) => {
      lost();
      // The client only retries by itself when the server did not close the socket on purpose.
      if (reason === 'io server disconnect') socket.connect();
    });
  }

  function setOpen(open, { focus = true } = {}) {
    state.open = open;
    save();
    panel.hidden = !open;
    frame.classList.toggle('is-open', open);
    launcher.setAttribute('aria-expanded', String(open));
    if (open) {
      if (!state.history.length) addMessage({ from: 'bot', text: t('greeting'), buttons: [] });
      connect();
      scrollToEnd();
      if (focus) input.focus();
    } else if (focus) {
      launcher.focus();
    }
  }

  applyLanguage();
  for (const message of state.history) renderMessage(message);
  renderQuickReplies();
  // Reopen after a reload if it was open, without stealing the page's focus.
  if (state.open) setOpen(true, { focus: false });
}

if (!window.__teaChatWidget) {
  window.__teaChatWidget = true;
  const config = readConfig(SCRIPT);
  if (document.body) mount(config);
  else document.addEventListener('DOMContentLoaded', () => mount(config));
}
