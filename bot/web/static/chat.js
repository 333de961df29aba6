// Indy's chat page: sends messages to /api/chat, shows answers as plain text and buttons.
(function () {
  "use strict";
  var list = document.getElementById("messages");
  var form = document.getElementById("composer");
  var input = document.getElementById("text");
  var key = "indy-sender";
  // The conversation id is the server's (POST /api/session): it keeps the one this tab holds
  // if it issued it, else gives a new one. Never made up here.
  var sender = null;
  var session = null;
  function withSender() {
    if (!session) {
      session = fetch("/api/session", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ kind: "web", sender: sessionStorage.getItem(key) })
      }).then(function (r) {
        if (!r.ok) { throw new Error("HTTP " + r.status); }
        return r.json();
      }).then(function (data) {
        sender = data.sender;
        sessionStorage.setItem(key, sender);
        return sender;
      }).catch(function (error) { session = null; throw error; });
    }
    return session;
  }

  function add(text, who) {
    var item = document.createElement("li");
    item.className = "message " + who;
    item.textContent = text; // never HTML: messages are shown as text
    list.appendChild(item);
    item.scrollIntoView({ block: "end" });
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

  function show(m) {
    if (m.text) { add(m.text, "bot"); }
    if (m.buttons && m.buttons.length) { addButtons(m.buttons); }
  }

  // A counsellor's replies arrive while the page is open: ask for news every few seconds,
  // saying which one was shown last (the server keeps the others until then).
  var lastNews = 0;
  function poll() {
    withSender()
      .then(function (id) {
        return fetch("/api/updates?sender=" + encodeURIComponent(id) + "&after=" + lastNews);
      })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        (data.messages || []).forEach(function (m) {
          if (m.id > lastNews) { lastNews = m.id; show(m); }
        });
      })
      .catch(function () { /* offline: try again later */ })
      .then(function () { setTimeout(poll, 3000); });
  }

  function send(message, shown) {
    add(shown || message, "user");
    var pending = add("…", "bot pending");
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
    }).catch(function () {
      pending.remove();
      add("Oups, la connexion ne passe pas. Réessaie dans un instant.", "bot");
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) { return; }
    input.value = "";
    send(text);
  });

  send("bonjour");
  setTimeout(poll, 3000);
})();
