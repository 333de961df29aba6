// Indy's chat page: sends messages to /api/chat, shows answers as plain text and buttons.
// A reload shows the conversation back from the server (/api/history), never greets twice.
(function () {
  "use strict";
  var list = document.getElementById("messages");
  var form = document.getElementById("composer");
  var input = document.getElementById("text");
  var key = "indy-sender";
  var COUNSELLOR = "Conseillère / conseiller";
  var POLL_MIN_MS = 3000;   // just after a message: a counsellor may be answering
  var POLL_MAX_MS = 30000;  // idle: slower and slower, up to this
  // The conversation id is the server's (POST /api/session): it keeps the one this tab holds
  // if it issued it, else gives a new one. Never made up here.
  var session = null;
  // A kiosk's QR code opens this page with a one-time code: the same conversation, here.
  var resume = new URLSearchParams(location.search).get("reprendre");
  if (resume) { history.replaceState(null, "", location.pathname); }
  function withSender() {
    if (!session) {
      var asked = { kind: "web", sender: sessionStorage.getItem(key) };
      if (resume) { asked.resume = resume; resume = null; }
      session = fetch("/api/session", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(asked)
      }).then(function (r) {
        if (!r.ok) {
          return r.json().then(function (data) {
            var error = new Error("HTTP " + r.status);
            error.said = data.error;  // the server's words (a used code)
            throw error;
          });
        }
        return r.json();
      }).then(function (data) {
        sessionStorage.setItem(key, data.sender);
        return data.sender;
      }).catch(function (error) { session = null; throw error; });
    }
    return session;
  }

  // The whole page is the height of what is visible: the message box stays pinned above the
  // on-screen keyboard (visualViewport where the browser has it, else 100dvh in the CSS).
  function fitViewport() {
    var view = window.visualViewport;
    if (!view) { return; }
    document.documentElement.style.setProperty("--app-height", view.height + "px");
    window.scrollTo(0, 0);
  }
  if (window.visualViewport) {
    window.visualViewport.addEventListener("resize", fitViewport);
    fitViewport();
  }

  function add(text, who) {
    var item = document.createElement("li");
    item.className = "message " + who;
    if (who === "counsellor") {
      var label = document.createElement("span");
      label.className = "who";
      label.textContent = COUNSELLOR;
      item.appendChild(label);
      item.appendChild(document.createTextNode(text));  // never HTML: shown as text
    } else {
      item.textContent = text;
    }
    list.appendChild(item);
    return item;
  }

  function addButtons(buttons) {
    var item = document.createElement("li");
    item.className = "buttons";
    buttons.forEach(function (button) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = button.title;
      b.addEventListener("click", function () { send(button.payload, button.title); });
      item.appendChild(b);
    });
    list.appendChild(item);
  }

  // m: {text, buttons, who}; returns its first element (where a long answer is read from).
  function show(m) {
    var first = null;
    var who = m.who === "counsellor" || m.who === "user" ? m.who : "bot";
    if (m.text) { first = add(m.text, who); }
    if (m.buttons && m.buttons.length) { addButtons(m.buttons); }
    return first || list.lastElementChild;
  }

  // After an answer: its end in view, unless that hides its start (a long answer is read
  // from the top). The list is the offset parent of its items (position: relative).
  function reveal(start) {
    var end = list.scrollHeight - list.clientHeight;
    list.scrollTop = start ? Math.min(end, start.offsetTop - 8) : end;
  }

  // A counsellor's replies arrive while the page is open (news.js).
  var news = window.IndyNews({ base: "", sender: withSender, show: show, reveal: reveal,
    active: function () { return true; }, minMs: POLL_MIN_MS, maxMs: POLL_MAX_MS });
  window.addEventListener("focus", news.wake);  // back to the page: news at once, then often

  function send(message, shown) {
    var mine = add(shown || message, "user");
    var pending = add("…", "bot pending");
    pending.setAttribute("aria-label", "Indy écrit");
    reveal();
    withSender().then(function (id) {
      return fetch("/api/chat", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ sender: id, message: message })
      });
    }).then(function (r) {
      if (r.status === 403) { sessionStorage.removeItem(key); session = null; }  // not ours
      return r.json();
    }).then(function (data) {
      pending.remove();
      (data.messages || []).forEach(show);
      if (data.error) { add(data.error, "bot"); }
      reveal(mine);
    }).catch(function () {
      pending.remove();
      add("Oups, la connexion ne passe pas. Réessaie dans un instant.", "bot");
      reveal();
    });
    news.soon();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) { return; }
    input.value = "";
    send(text);
  });

  // A tab that already talked (a reload): its conversation, from the server. Else: hello.
  function start() {
    if (!sessionStorage.getItem(key) && !resume) { send("bonjour"); return; }
    var resuming = !!resume;
    withSender().then(function (id) {
      return fetch("/api/history?sender=" + encodeURIComponent(id));
    }).then(function (r) {
      if (!r.ok) { throw new Error("HTTP " + r.status); }
      return r.json();
    }).then(function (data) {
      var messages = data.messages || [];
      if (!messages.length) { send("bonjour"); return; }
      var mine = null;  // the last answer is read from its start, as when it came
      messages.forEach(function (m) { var item = show(m); if (m.who === "user") { mine = item; } });
      news.seen(data.news);
      reveal(mine);
      news.soon();
    }).catch(function (error) {
      if (resuming && error.said) {  // a code used or expired: say so, then start afresh
        add(error.said, "bot");
        send("bonjour");
        return;
      }
      add("Oups, la connexion ne passe pas. Recharge la page dans un instant.", "bot");
    });
  }
  start();
})();
