// Indy's chat page: sends messages to /api/chat, shows answers as plain text and buttons.
(function () {
  "use strict";
  var list = document.getElementById("messages");
  var form = document.getElementById("composer");
  var input = document.getElementById("text");
  var key = "indy-sender";
  var sender = sessionStorage.getItem(key);
  if (!sender) {
    var bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    sender = "web-" + Array.from(bytes, function (b) { return b.toString(16).padStart(2, "0"); }).join("");
    sessionStorage.setItem(key, sender);
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

  // A counsellor's replies arrive while the page is open: ask for news every few seconds.
  function poll() {
    fetch("/api/updates?sender=" + encodeURIComponent(sender))
      .then(function (r) { return r.json(); })
      .then(function (data) { (data.messages || []).forEach(show); })
      .catch(function () { /* offline: try again later */ })
      .then(function () { setTimeout(poll, 3000); });
  }

  function send(message, shown) {
    add(shown || message, "user");
    var pending = add("…", "bot pending");
    fetch("/api/chat", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sender: sender, message: message })
    }).then(function (r) { return r.json(); }).then(function (data) {
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
