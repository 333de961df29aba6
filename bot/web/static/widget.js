/* Indy's widget for partners' websites: one line to embed,
 *   <script src="https://INDY/widget.js" defer></script>
 * A bubble opens a small chat that talks to Rasa over socket.io (the vendored client).
 * Only the conversation id Rasa's socket.io issued is kept (localStorage); messages are shown as
 * text, never HTML. */
(function () {
  "use strict";
  if (window.IndyWidget) { return; }
  var script = document.currentScript;
  var base = new URL(script.src).origin;
  var rasaUrl = (script.dataset && script.dataset.server) || "__INDY_RASA_URL__";
  var KEY = "indy-widget-session";
  var POLL_MS = 4000;
  // The server's id: offered back at each connection, replaced by whatever the server confirms
  // (a new one if it did not issue this one).
  var sessionId = localStorage.getItem(KEY);
  var confirmed = false;
  var lastNews = 0;  // the last counsellor's message shown: acknowledged at the next poll

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
  var list = el("ol", { "class": "indy-messages", "aria-live": "polite", "aria-label": "Messages" });
  var form = el("form", { "class": "indy-composer" });
  var label = el("label", { "for": "indy-input", "class": "indy-hidden" }, "Ton message");
  var input = el("input", { id: "indy-input", type: "text", maxlength: "2000", autocomplete: "off",
    placeholder: "Écris ton message…", enterkeyhint: "send" });
  var send = el("button", { type: "submit" }, "Envoyer");
  form.appendChild(label); form.appendChild(input); form.appendChild(send);
  panel.appendChild(header); panel.appendChild(list); panel.appendChild(form);
  root.appendChild(panel); root.appendChild(bubble);
  document.body.appendChild(root);

  function add(text, who) {
    var item = el("li", { "class": "indy-msg indy-" + who }, text);
    list.appendChild(item);
    list.scrollTop = list.scrollHeight;
  }

  function addButtons(buttons) {
    var item = el("li", { "class": "indy-buttons" });
    buttons.forEach(function (b) {
      var button = el("button", { type: "button" }, b.title);
      button.addEventListener("click", function () { say(b.payload, b.title); });
      item.appendChild(button);
    });
    list.appendChild(item);
    list.scrollTop = list.scrollHeight;
  }

  function show(m) {
    if (m.text) { add(m.text, "bot"); }
    var buttons = m.quick_replies || m.buttons || [];
    if (buttons.length) { addButtons(buttons); }
  }

  var socket = null;
  var queue = [];
  function connect(then) {
    if (socket) { then(); return; }
    var load = window.io ? Promise.resolve() : new Promise(function (resolve, reject) {
      var s = el("script", { src: base + "/static/vendor/socket.io.min.js" });
      s.onload = resolve; s.onerror = reject;
      document.head.appendChild(s);
    });
    load.then(function () {
      socket = window.io(rasaUrl, { transports: ["websocket"], reconnection: true });
      socket.on("connect", function () { socket.emit("session_request", { session_id: sessionId }); });
      socket.on("disconnect", function () { confirmed = false; });
      socket.on("session_confirm", function (id) {
        sessionId = id;
        localStorage.setItem(KEY, id);
        confirmed = true;
        var pending = queue; queue = [];
        pending.forEach(function (m) { socket.emit("user_uttered", m); });
      });
      socket.on("bot_uttered", show);
      socket.on("connect_error", function () {
        add("La connexion ne passe pas. Réessaie dans un instant.", "bot");
      });
      then();
    }).catch(function () { add("La discussion ne peut pas s'ouvrir ici pour l'instant.", "bot"); });
  }

  function say(message, shown) {
    add(shown || message, "user");
    connect(function () {
      var data = { message: message };
      if (socket.connected && confirmed) { socket.emit("user_uttered", data); } else { queue.push(data); }
    });
  }

  // A counsellor's replies (handoff) are collected from Indy's web app.
  function poll() {
    if (!confirmed) { setTimeout(poll, POLL_MS); return; }
    fetch(base + "/api/updates?sender=" + encodeURIComponent(sessionId) + "&after=" + lastNews)
      .then(function (r) { return r.json(); })
      .then(function (data) {
        (data.messages || []).forEach(function (m) {
          if (m.id > lastNews) { lastNews = m.id; show(m); }
        });
      })
      .catch(function () {})
      .then(function () { setTimeout(poll, POLL_MS); });
  }

  var started = false;
  function open() {
    panel.hidden = false;
    bubble.setAttribute("aria-expanded", "true");
    input.focus();
    if (!started) { started = true; say("/greet", "Bonjour"); setTimeout(poll, POLL_MS); }
  }
  function shut() {
    panel.hidden = true;
    bubble.setAttribute("aria-expanded", "false");
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
