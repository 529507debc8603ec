// The sandbox chat page: renders the fake Bot API's chat of the chosen simulated user, sends
// what the user does (text, button presses, files, payments) and follows changes live over
// server-sent events. Plain JavaScript, no build step.
'use strict';

const api = (path) => '/sandbox/api' + path;
const $ = (id) => document.getElementById(id);

const state = {
  users: [],
  user: null,         // the selected user id
  messages: new Map(), // message id -> message JSON
  events: null,       // EventSource
  pendingPayment: null,
};

async function post(path, body, headers = {}) {
  const isJson = !(body instanceof Blob);
  const res = await fetch(api(path), {
    method: 'POST',
    headers: {
      'X-Sandbox-Client': '1',
      ...(isJson ? { 'Content-Type': 'application/json' } : {}),
      ...headers,
    },
    body: isJson ? JSON.stringify(body) : body,
  });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(data.error || res.statusText);
  return data;
}

// ---- Rendering -------------------------------------------------------------------------

// Text with Bot API entities (offsets in UTF-16 units, which is how JavaScript counts too).
function renderText(text, entities) {
  const frag = document.createDocumentFragment();
  const sorted = [...(entities || [])].sort((a, b) => a.offset - b.offset || b.length - a.length);
  build(frag, 0, text.length, sorted);
  return frag;

  function build(parent, start, end, ents) {
    let pos = start;
    let i = 0;
    while (i < ents.length) {
      const e = ents[i];
      const eStart = Math.max(e.offset, pos);
      const eEnd = Math.min(e.offset + e.length, end);
      let j = i + 1;
      const inner = [];
      while (j < ents.length && ents[j].offset < e.offset + e.length) inner.push(ents[j++]);
      i = j;
      if (eEnd <= eStart) continue;
      if (eStart > pos) parent.append(text.slice(pos, eStart));
      const el = elementFor(e, text.slice(eStart, eEnd));
      build(el, eStart, eEnd, inner);
      parent.append(el);
      pos = eEnd;
    }
    if (pos < end) parent.append(text.slice(pos, end));
  }
}

function elementFor(entity, content) {
  const tag = {
    bold: 'b', italic: 'i', underline: 'u', strikethrough: 's', code: 'code', pre: 'pre',
    blockquote: 'blockquote', expandable_blockquote: 'blockquote',
  }[entity.type];
  if (tag) return document.createElement(tag);
  if (entity.type === 'text_link' || entity.type === 'url') {
    const a = document.createElement('a');
    a.href = entity.type === 'url' ? content : entity.url;
    a.target = '_blank';
    a.rel = 'noopener';
    return a;
  }
  if (entity.type === 'spoiler') {
    const s = document.createElement('span');
    s.className = 'spoiler';
    s.addEventListener('click', () => s.classList.add('open'));
    return s;
  }
  return document.createElement('span');
}

function timeOf(unix) {
  const d = new Date(unix * 1000);
  return d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

function renderMedia(m) {
  const f = m.file;
  if (!f) return null;
  const mime = f.mime || '';
  if (m.kind === 'photo' || m.kind === 'sticker' || (m.kind === 'document' && mime.startsWith('image/'))) {
    const img = document.createElement('img');
    img.src = f.url;
    img.alt = m.text || 'image';
    img.className = 'photo';
    img.loading = 'lazy';
    return img;
  }
  if (['video', 'animation', 'video_note'].includes(m.kind) || mime.startsWith('video/')) {
    const v = document.createElement('video');
    v.src = f.url;
    v.controls = true;
    v.loop = m.kind === 'animation';
    v.muted = m.kind === 'animation';
    v.autoplay = m.kind === 'animation';
    v.playsInline = true;
    return v;
  }
  if (m.kind === 'audio' || m.kind === 'voice' || mime.startsWith('audio/')) {
    const a = document.createElement('audio');
    a.src = f.url;
    a.controls = true;
    return a;
  }
  const link = document.createElement('a');
  link.href = f.url;
  link.className = 'doc';
  link.download = f.name || 'file';
  link.textContent = `📄 ${f.name || 'file'} (${Math.max(1, Math.round(f.size / 1024))} KB)`;
  return link;
}

function renderKeyboard(m) {
  if (!m.keyboard || m.keyboard.length === 0) return null;
  const kb = document.createElement('div');
  kb.className = 'keyboard';
  for (const row of m.keyboard) {
    const r = document.createElement('div');
    r.className = 'row';
    for (const b of row) {
      const btn = document.createElement('button');
      btn.className = 'kb-btn';
      btn.textContent = b.text;
      if (b.pay) {
        btn.classList.add('pay');
        btn.addEventListener('click', () => openPayment(m));
      } else if (b.url) {
        btn.classList.add('url');
        btn.addEventListener('click', () => window.open(b.url, '_blank', 'noopener'));
      } else if (b.data !== undefined) {
        btn.dataset.data = b.data;
        btn.addEventListener('click', () => press(m.id, b.data, btn));
      }
      r.append(btn);
    }
    kb.append(r);
  }
  return kb;
}

function renderMessage(m) {
  const wrap = document.createElement('div');
  wrap.dataset.id = m.id;
  if (m.kind === 'successful_payment' || m.kind === 'refunded_payment') {
    wrap.className = 'service';
    const p = m.payment || {};
    wrap.textContent = m.kind === 'successful_payment'
      ? `You paid ⭐${p.amount}` : `⭐${p.amount} refunded`;
    return wrap;
  }
  wrap.className = `msg ${m.from_bot ? 'bot' : 'user'} kind-${m.kind}`;
  const bubble = document.createElement('div');
  bubble.className = 'bubble';
  if (m.forwarded) {
    const f = document.createElement('div');
    f.className = 'forwarded';
    f.textContent = 'Forwarded message';
    bubble.append(f);
  }
  if (m.kind === 'invoice' && m.invoice) {
    bubble.classList.add('invoice');
    const h = document.createElement('h4');
    h.textContent = m.invoice.title;
    const d = document.createElement('div');
    d.textContent = m.invoice.description;
    const a = document.createElement('div');
    a.className = 'amount';
    a.textContent = m.invoice.currency === 'XTR' ? `⭐ ${m.invoice.amount}` : `${m.invoice.amount} ${m.invoice.currency}`;
    bubble.append(h, d, a);
  } else {
    const media = renderMedia(m);
    if (media) {
      bubble.classList.add('media');
      bubble.append(media);
    }
    if (m.text) {
      const t = document.createElement('div');
      t.className = 'text';
      t.append(renderText(m.text, m.entities));
      bubble.append(t);
    }
  }
  const meta = document.createElement('span');
  meta.className = 'meta';
  meta.textContent = (m.edit_date ? 'edited ' : '') + timeOf(m.edit_date || m.date);
  bubble.append(meta);
  wrap.append(bubble);
  const kb = renderKeyboard(m);
  if (kb) wrap.append(kb);
  return wrap;
}

function upsert(m) {
  const list = $('messages');
  const old = list.querySelector(`[data-id="${m.id}"]`);
  if (m.deleted) {
    state.messages.delete(m.id);
    if (old) old.remove();
    return;
  }
  state.messages.set(m.id, m);
  const el = renderMessage(m);
  if (old) {
    old.replaceWith(el);
  } else {
    // Messages arrive in id order almost always; insert before the first larger id otherwise.
    let before = null;
    for (const child of list.children) {
      if (Number(child.dataset.id) > m.id) { before = child; break; }
    }
    list.insertBefore(el, before);
    scrollDown();
  }
  updateEmpty();
}

function scrollDown() {
  const chat = $('chat');
  requestAnimationFrame(() => { chat.scrollTop = chat.scrollHeight; });
}

function updateEmpty() {
  $('empty').hidden = state.messages.size > 0;
}

let toastTimer = null;
function toast(text) {
  const t = $('toast');
  t.textContent = text;
  t.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { t.hidden = true; }, 2500);
}

let statusTimer = null;
function showStatus(text) {
  const s = $('bot-status');
  s.textContent = text;
  s.classList.add('active');
  clearTimeout(statusTimer);
  statusTimer = setTimeout(() => { s.textContent = 'bot'; s.classList.remove('active'); }, 5000);
}

// ---- Live updates ----------------------------------------------------------------------

const actionText = {
  typing: 'typing…', upload_photo: 'sending a photo…', upload_video: 'sending a video…',
  record_video: 'recording a video…', upload_voice: 'sending a voice message…',
  upload_document: 'sending a file…', choose_sticker: 'choosing a sticker…',
};

function onEvent(ev) {
  const e = JSON.parse(ev.data);
  if (e.chat_id !== state.user) return;
  switch (e.kind) {
    case 'message_added':
    case 'message_edited':
    case 'message_deleted':
      upsert(e.message);
      if (e.message.from_bot) showStatus('bot');
      break;
    case 'callback_answered':
      if (e.data.text) {
        if (e.data.show_alert) {
          $('alert-text').textContent = e.data.text;
          $('alert-dialog').showModal();
        } else {
          toast(e.data.text);
        }
      }
      if (e.data.url) window.open(e.data.url, '_blank', 'noopener');
      break;
    case 'chat_action':
      showStatus(actionText[e.data.action] || 'typing…');
      break;
    case 'payment_changed':
      onPaymentChanged(e.data);
      break;
    default:
      break;
  }
}

async function loadChat() {
  // Everything fetched below belongs to this user: a reply that arrives after a switch to another
  // user is dropped instead of being drawn into the other user's chat.
  const user = state.user;
  if (state.events) state.events.close();
  state.events = null;
  state.messages.clear();
  $('messages').replaceChildren();
  const res = await fetch(api(`/chats/${user}/messages`));
  const list = await res.json();
  if (state.user !== user) return;
  for (const m of list) upsert(m);
  updateEmpty();
  scrollDown();
  const es = new EventSource(api(`/chats/${user}/events`));
  es.onmessage = onEvent;
  // After a reconnect, fetch the chat again: events in between are not replayed.
  let opened = false;
  es.onopen = async () => {
    if (!opened) { opened = true; return; }
    const again = await (await fetch(api(`/chats/${user}/messages`))).json();
    if (state.user !== user) return;
    for (const m of again) upsert(m);
  };
  state.events = es;
  document.body.dataset.user = state.user;
  document.body.dataset.ready = '1';
}

// ---- Actions ---------------------------------------------------------------------------

async function press(messageId, data, btn) {
  btn.disabled = true;
  setTimeout(() => { btn.disabled = false; }, 1500);
  try {
    await post(`/chats/${state.user}/press`, { message_id: messageId, data });
  } catch (err) {
    toast(err.message);
  }
}

async function sendText(text) {
  const forward = $('forward').checked;
  await post(`/chats/${state.user}/text`, { text, forward });
  $('forward').checked = false;
}

function kindOf(file) {
  const t = file.type || '';
  if (t.startsWith('image/') && !t.includes('svg')) return 'photo';
  if (t.startsWith('video/')) return 'video';
  if (t === 'audio/ogg') return 'voice';
  if (t.startsWith('audio/')) return 'audio';
  return 'document';
}

async function sendFile(file) {
  const caption = $('text-input').value.trim();
  const q = new URLSearchParams({
    kind: kindOf(file), name: file.name, mime: file.type || '', caption,
    forward: $('forward').checked ? '1' : '0',
  });
  await post(`/chats/${state.user}/upload?${q}`, file);
  $('text-input').value = '';
  $('forward').checked = false;
}

function openPayment(m) {
  state.pendingPayment = { messageId: m.id, queryId: null };
  $('pay-title').textContent = m.invoice ? m.invoice.title : '';
  $('pay-description').textContent = m.invoice ? m.invoice.description : '';
  $('pay-amount').textContent = m.invoice ? `⭐ ${m.invoice.amount}` : '';
  $('pay-status').textContent = '';
  $('pay-confirm').disabled = false;
  $('pay-dialog').showModal();
}

async function confirmPayment() {
  const p = state.pendingPayment;
  if (!p) return;
  $('pay-confirm').disabled = true;
  $('pay-status').textContent = 'Waiting for the bot to confirm…';
  try {
    const r = await post(`/chats/${state.user}/pay`, { message_id: p.messageId });
    p.queryId = r.pre_checkout_query_id;
  } catch (err) {
    $('pay-status').textContent = err.message;
    $('pay-confirm').disabled = false;
  }
}

function onPaymentChanged(data) {
  const p = state.pendingPayment;
  if (!p || (p.queryId && data.pre_checkout_query_id !== p.queryId)) return;
  if (data.state === 'paid') {
    $('pay-dialog').close();
    state.pendingPayment = null;
    toast('Payment done');
  } else if (data.state === 'declined' || data.state === 'expired') {
    $('pay-status').textContent = data.error_message || `Payment ${data.state}`;
    $('pay-confirm').disabled = false;
  }
}

// ---- Users -----------------------------------------------------------------------------

function renderUsers() {
  const sel = $('user-select');
  sel.replaceChildren();
  for (const u of state.users) {
    const o = document.createElement('option');
    o.value = u.id;
    o.textContent = `${u.first_name} (${u.language_code || '–'})${u.is_admin ? ' · admin' : ''}`;
    sel.append(o);
  }
  sel.value = state.user;
}

async function selectUser(id) {
  state.user = Number(id);
  history.replaceState(null, '', `#user=${state.user}`);
  renderUsers();
  await loadChat();
}

async function addUser() {
  const name = prompt('Name of the new simulated user', `User ${state.users.length + 1}`);
  if (!name) return;
  const lang = prompt('Language code (en, ru)', 'en') || 'en';
  const u = await post('/users', { first_name: name, language_code: lang });
  state.users.push(u);
  await selectUser(u.id);
}

async function init() {
  const s = await (await fetch(api('/state'))).json();
  state.users = s.users;
  document.title = s.title;
  $('bot-name').textContent = s.title;
  const fromHash = Number((location.hash.match(/user=(\d+)/) || [])[1]);
  const initial = state.users.find((u) => u.id === fromHash) || state.users[0];
  await selectUser(initial.id);

  $('user-select').addEventListener('change', (e) => selectUser(e.target.value));
  $('add-user').addEventListener('click', () => addUser().catch((err) => toast(err.message)));
  $('start-btn').addEventListener('click', () => sendText('/start').catch((err) => toast(err.message)));
  for (const b of document.querySelectorAll('#commands button'))
    b.addEventListener('click', () => sendText(b.dataset.cmd).catch((err) => toast(err.message)));
  const input = $('text-input');
  $('composer').addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    try { await sendText(text); } catch (err) { toast(err.message); input.value = text; }
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      $('composer').requestSubmit();
    }
  });
  $('file-input').addEventListener('change', async (e) => {
    const file = e.target.files[0];
    e.target.value = '';
    if (file) await sendFile(file).catch((err) => toast(err.message));
  });
  $('pay-confirm').addEventListener('click', confirmPayment);
  $('pay-cancel').addEventListener('click', () => {
    state.pendingPayment = null;
    $('pay-dialog').close();
  });
}

init().catch((err) => {
  document.body.textContent = 'The sandbox could not start: ' + err.message;
});
