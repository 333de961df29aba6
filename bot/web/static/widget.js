/* Indy's widget for partners' websites: one line to embed,
 *   <script src="https://INDY/widget.js" defer></script>
 * A bubble opens a small chat that talks to Rasa over socket.io (the vendored client, loaded at
 * the first opening only). Only the conversation id Rasa's socket.io issued is kept
 * (localStorage); at the next opening, on any page of the site, the conversation is shown back
 * from Indy's server (/api/history). Messages are shown as text, never HTML. */
(function () {
  "use strict";
  if (window.IndyWidget) { return; }
  var script = document.currentScript;
  var base = new URL(script.src).origin;
  var rasaUrl = (script.dataset && script.dataset.server) || "__INDY_RASA_URL__";
  var KEY = "indy-widget-session";
  var COUNSELLOR = "Conseillère / conseiller";
  var OFFLINE = "La connexion ne passe pas. Je réessaie toute seule, patiente un peu.";
  var GAVE_UP = "La connexion ne passe toujours pas. Réessaie plus tard.";
  var SHOWN = { "/greet": "Bonjour" };  // what the person saw for what the widget sent
  var POLL_MIN_MS = 4000;   // a counsellor's replies: often just after a message,
  var POLL_MAX_MS = 30000;  // then less and less; never while the panel is closed
  // The server's id: offered back at each connection, replaced by whatever the server confirms
  // (a new one if it did not issue this one).
  var sessionId = localStorage.getItem(KEY);
  var confirmed = false;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) { node.textContent = text; }
    return node;
  }

  var css = el("link", { rel: "stylesheet", href: base + "/static/widget.css" });
  document.head.appendChild(css);

  var root = el("div", { "class": "indy-widget", lang: "fr" });
  var bubble = el("button", { type: "button", "class": "indy-bubble", "aria-expanded": "false",
    "aria-controls": "indy-panel", "aria-label": "Discuter avec Indy, l'assistant emploi" }, "💬");
  var panel = el("section", { id: "indy-panel", "class": "indy-panel", role: "dialog",
    "aria-label": "Discussion avec Indy", hidden: "" });
  var header = el("header", { "class": "indy-header" });
  header.appendChild(el("h2", {}, "Indy"));
  header.appendChild(el("p", {}, "Assistant automatique · emploi et industrie"));
  var close = el("button", { type: "button", "class": "indy-close", "aria-label": "Fermer la discussion" }, "✕");
  header.appendChild(close);
  // Focusable: a scrolled list is read with the keyboard too (axe: scrollable-region-focusable).
  var list = el("ol", { "class": "indy-messages", "aria-live": "polite", "aria-label": "Messages",
    tabindex: "0" });
  var form = el("form", { "class": "indy-composer" });
  var label = el("label", { "for": "indy-input", "class": "indy-hidden" }, "Ton message");
  var input = el("input", { id: "indy-input", type: "text", maxlength: "2000", autocomplete: "off",
    placeholder: "Écris ton message…", enterkeyhint: "send" });
  var send = el("button", { type: "submit" }, "Envoyer");
  form.appendChild(label); form.appendChild(input); form.appendChild(send);
  panel.appendChild(header); panel.appendChild(list); panel.appendChild(form);
  root.appendChild(panel); root.appendChild(bubble);
  document.body.appendChild(root);

  // The panel stays in the visible part of the screen, above an on-screen keyboard.
  function fit() {
    var view = window.visualViewport;
    if (!view || panel.hidden) { return; }
    var keyboard = Math.max(0, window.innerHeight - view.height - view.offsetTop);
    panel.style.setProperty("--indy-keyboard", keyboard + "px");
    panel.style.setProperty("--indy-view", view.height + "px");
  }
  if (window.visualViewport) { window.visualViewport.addEventListener("resize", fit); }

  // After an answer: its end in view, unless that hides its start (read from the top).
  function reveal(start) {
    var end = list.scrollHeight - list.clientHeight;
    list.scrollTop = start ? Math.min(end, start.offsetTop - 8) : end;
  }

  // Indy is writing: shown from a message sent until the first answer (or a minute).
  var typing = el("li", { "class": "indy-msg indy-bot indy-typing", "aria-label": "Indy écrit" }, "…");
  var typingTimer = null;
  var lastMine = null;  // the person's last message: a long answer is read from there
  function add(text, who) {
    var item = el("li", { "class": "indy-msg indy-" + who });
    if (who === "counsellor") { item.appendChild(el("span", { "class": "indy-who" }, COUNSELLOR)); }
    item.appendChild(document.createTextNode(text));
    list.insertBefore(item, typing.parentNode === list ? typing : null);
    return item;
  }

  function addButtons(buttons) {
    var item = el("li", { "class": "indy-buttons" });
    buttons.forEach(function (b) {
      var button = el("button", { type: "button" }, b.title);
      button.addEventListener("click", function () { say(b.payload, b.title); });
      item.appendChild(button);
    });
    list.insertBefore(item, typing.parentNode === list ? typing : null);
    return item;
  }

  function waiting(on) {
    clearTimeout(typingTimer);
    if (on) {
      list.appendChild(typing);
      typingTimer = setTimeout(function () { waiting(false); }, 60000);
    } else if (typing.parentNode === list) {
      list.removeChild(typing);
    }
  }

  // m: {text, buttons | quick_replies, who}
  function show(m) {
    var who = m.who === "counsellor" || m.who === "user" ? m.who : "bot";
    var text = who === "user" ? SHOWN[m.payload] || m.text : m.text;
    var first = text ? add(text, who) : null;
    var buttons = m.quick_replies || m.buttons || [];
    if (buttons.length) { var row = addButtons(buttons); first = first || row; }
    return first;
  }

  function answered(m) {
    waiting(false);
    show(m);
    reveal(lastMine);
  }

  // Said once per outage: the socket retries with a growing delay (1 s to 30 s), then stops;
  // the next message sent tries again.
  var outage = false;
  function offline(text) {
    waiting(false);
    if (outage) { return; }
    outage = true;
    add(text, "bot indy-error");
    reveal();
  }

  var socket = null;
  var ready = null;  // the socket.io client, loaded once
  var queue = [];
  function connect(then) {
    if (socket && !socket.connected && !socket.active) { outage = false; socket.connect(); }
    ready = ready || (window.io ? Promise.resolve() : new Promise(function (resolve, reject) {
      var s = el("script", { src: base + "/static/vendor/socket.io.min.js" });
      s.onload = resolve; s.onerror = reject;
      document.head.appendChild(s);
    })).then(function () {
      socket = window.io(rasaUrl, { transports: ["websocket"], reconnection: true,
        reconnectionDelay: 1000, reconnectionDelayMax: 30000, reconnectionAttempts: 6 });
      socket.on("connect", function () {
        outage = false;
        socket.emit("session_request", { session_id: sessionId });
      });
      socket.on("disconnect", function () { confirmed = false; });
      socket.on("session_confirm", function (id) {
        sessionId = id;
        localStorage.setItem(KEY, id);
        confirmed = true;
        var pending = queue; queue = [];
        pending.forEach(function (m) { socket.emit("user_uttered", m); });
        news.wake();
      });
      socket.on("bot_uttered", answered);
      socket.on("connect_error", function () { offline(OFFLINE); });
      socket.io.on("reconnect_failed", function () { outage = false; offline(GAVE_UP); });
    });
    ready.then(then, function () {
      ready = null;
      offline("La discussion ne peut pas s'ouvrir ici pour l'instant.");
    });
  }

  function say(message, shown) {
    lastMine = add(shown || message, "user");
    waiting(true);
    reveal();
    connect(function () {
      var data = { message: message };
      if (socket.connected && confirmed) { socket.emit("user_uttered", data); } else { queue.push(data); }
    });
    news.soon();
  }

  // A counsellor's replies (handoff), from Indy's web app while the panel is open (news.js,
  // sent in front of this file).
  var news = window.IndyNews({ base: base, sender: function () { return sessionId; },
    show: show, reveal: reveal, minMs: POLL_MIN_MS, maxMs: POLL_MAX_MS,
    active: function () { return !panel.hidden && confirmed; } });

  // The first opening on this page: the conversation so far (another page of the site, a
  // reload), else Indy's greeting. Never a greeting into a conversation that exists.
  function begin() {
    connect(function () {});
    var known = sessionId ? fetch(base + "/api/history?sender=" + encodeURIComponent(sessionId))
      .then(function (r) {
        if (r.status === 403) { return { messages: [] }; }  // not ours: a new conversation
        if (!r.ok) { throw new Error("HTTP " + r.status); }
        return r.json();
      }) : Promise.resolve({ messages: [] });
    known.then(function (data) {
      var messages = data.messages || [];
      if (!messages.length) { say("/greet", "Bonjour"); return; }
      messages.forEach(function (m) { var item = show(m); if (m.who === "user") { lastMine = item; } });
      news.seen(data.news);
      reveal(lastMine);  // the last answer from its start, as when it came
    }).catch(function () { offline(OFFLINE); });
  }

  var started = false;
  function open() {
    panel.hidden = false;
    fit();
    bubble.setAttribute("aria-expanded", "true");
    input.focus();
    if (!started) { started = true; begin(); }
    news.wake();
  }
  function shut() {
    panel.hidden = true;
    bubble.setAttribute("aria-expanded", "false");
    news.stop();
    bubble.focus();
  }
  bubble.addEventListener("click", function () { if (panel.hidden) { open(); } else { shut(); } });
  close.addEventListener("click", shut);
  panel.addEventListener("keydown", function (e) { if (e.key === "Escape") { shut(); } });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var text = input.value.trim();
    if (!text) { return; }
    input.value = "";
    say(text);
  });
  window.IndyWidget = { open: open, close: shut };
})();
