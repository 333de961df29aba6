// Indy's kiosk page for the job bus tablet: topic tiles, big buttons, a QR code to go on with
// Telegram, and a wipe after inactivity (the tablet is shared: the next person sees nothing).
(function () {
  "use strict";

  var IDLE_MS = 90000;     // no touch, key or click for this long: ask "Tu es toujours là ?"
  var CONFIRM_MS = 15000;  // no answer to that question for this long: wipe everything
  var POLL_MS = 3000;      // how often to ask for a counsellor's replies

  var TEXT = {
    offline: "La connexion ne passe pas. Réessaie dans un instant.",
    scan: "Scanne ce code avec ton téléphone pour continuer sur Telegram.",
    scanWeb: "Scanne ce code avec l'appareil photo de ton téléphone : la conversation s'ouvre " +
      "dans ton navigateur, avec les réponses qui arrivent. Le code marche une fois, 10 minutes.",
    wait: "Un instant…"
  };
  var STORED = "indy-kiosk";  // this tab only (sessionStorage): {sender, at}, gone at the wipe

  var startScreen = document.getElementById("start");
  var startTitle = document.getElementById("start-title");
  var talkScreen = document.getElementById("talk");
  var talkTitle = document.getElementById("talk-title");
  var list = document.getElementById("messages");
  var form = document.getElementById("composer");
  var input = document.getElementById("text");
  var phoneDialog = document.getElementById("phone-dialog");
  var phoneText = document.getElementById("phone-text");
  var qrImage = document.getElementById("qr");
  var idleDialog = document.getElementById("idle-dialog");
  var endDialog = document.getElementById("end-dialog");
  var countdown = document.getElementById("countdown");

  // The conversation's id is the server's (POST /api/session), asked once per conversation,
  // never made up here. It is kept in this tab's sessionStorage until the wipe, so that a
  // reload shows the conversation back (from the server: /api/history); a reload after the
  // idle delay wipes instead.
  var sender = null;      // a promise of that id while a conversation is open, else null
  var lastNews = 0;       // the last counsellor's message shown (acknowledged at next poll)
  var generation = 0;     // bumped by each wipe: late answers of a wiped conversation are dropped
  var requests = [];      // AbortControllers of the requests in flight
  var pollTimer = null;
  var idleTimer = null;
  var confirmTimer = null;
  var countdownTimer = null;
  var confirmDeadline = 0;

  function newSender() {
    var made = request("/api/session", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ kind: "kiosk" })
    }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    }).then(function (data) { remember(data.sender); return data.sender; });
    made.catch(function () {  // offline: ask again with the next message
      if (sender === made) { sender = newSender(); }
    });
    return made;
  }

  // fetch() that a wipe can cancel; resolves only for the conversation that asked.
  function request(url, options) {
    var controller = new AbortController();
    var asked = generation;
    requests.push(controller);
    options = options || {};
    options.signal = controller.signal;
    options.cache = "no-store";
    var done = function () {
      requests = requests.filter(function (c) { return c !== controller; });
    };
    return fetch(url, options).then(function (response) {
      done();
      if (asked !== generation) { return new Promise(function () {}); }  // wiped: never settles
      return response;
    }, function (error) {
      done();
      if (asked !== generation) { return new Promise(function () {}); }
      throw error;
    });
  }

  function remember(id) {
    try {
      sessionStorage.setItem(STORED, JSON.stringify({ sender: id, at: Date.now() }));
    } catch (e) { /* storage disabled: a reload starts over */ }
  }

  function stored() {
    try {
      var held = JSON.parse(sessionStorage.getItem(STORED) || "null");
      return held && Date.now() - held.at < IDLE_MS + CONFIRM_MS ? held.sender : null;
    } catch (e) { return null; }
  }

  function scrollDown() {
    list.scrollTop = list.scrollHeight;
  }

  // A long answer is read from its start: show the user's message at the top of the list.
  function scrollToMessage(item) {
    list.scrollTop = Math.max(0, item.offsetTop - 16);
  }

  // Messages are always shown as text, never as HTML.
  function bubble(text, who, before) {
    var item = document.createElement("li");
    item.className = "message " + who;
    item.textContent = text;
    list.insertBefore(item, before || null);
    return item;
  }

  function quickReplies(buttons, before) {
    var item = document.createElement("li");
    item.className = "buttons";
    buttons.forEach(function (button) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = button.title;
      b.addEventListener("click", function () { send(button.payload, button.title); });
      item.appendChild(b);
    });
    list.insertBefore(item, before || null);
  }

  // What the person saw for a tile's payload (a reload shows it again).
  var TILES = {};
  Array.prototype.forEach.call(document.querySelectorAll(".tile"), function (tile) {
    TILES[tile.dataset.payload] = tile.querySelector(".tile-title").textContent;
  });

  function show(message, before) {
    var who = message.who === "counsellor" || message.who === "user" ? message.who : "bot";
    var text = who === "user" ? TILES[message.payload] || message.text : message.text;
    if (text) {
      var item = bubble(text, who, before);
      if (who === "counsellor") {
        var label = document.createElement("span");
        label.className = "who";
        label.textContent = "Conseillère / conseiller";
        item.insertBefore(label, item.firstChild);
      }
    }
    if (message.buttons && message.buttons.length) { quickReplies(message.buttons, before); }
  }

  // Sends a message; `shown` is what the user sees (a tile's or button's title), `typed` is
  // true for text from the keyboard, given back to the input if the connection fails.
  function send(message, shown, typed) {
    var mine = bubble(shown || message, "user");
    var pending = bubble("…", "bot pending");
    pending.setAttribute("aria-label", "Indy écrit");
    scrollDown();
    sender.then(function (id) {
      return request("/api/chat", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ sender: id, message: message })
      });
    }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    }).then(function (data) {
      (data.messages || []).forEach(function (m) { show(m, pending); });
      pending.remove();
      scrollToMessage(mine);
    }).catch(function () {
      pending.remove();
      if (typed) {
        mine.remove();
        if (!input.value) { input.value = message; }
      }
      bubble(TEXT.offline, "bot error");
      scrollDown();
    });
  }

  // A counsellor's replies arrive while the page is open: ask for news every few seconds.
  function poll() {
    pollTimer = null;
    sender
      .then(function (id) {
        return request("/api/updates?sender=" + encodeURIComponent(id) + "&after=" + lastNews);
      })
      .then(function (response) { return response.ok ? response.json() : {}; })
      .then(function (data) {
        (data.messages || []).forEach(function (m) {
          if (m.id > lastNews) { lastNews = m.id; show(m); }
        });
        if (data.messages && data.messages.length) { scrollDown(); }
      })
      .catch(function () { /* offline: try again later */ })
      .then(function () {
        if (sender && pollTimer === null) { pollTimer = setTimeout(poll, POLL_MS); }
      });
  }

  function openConversation(held) {
    if (!sender) {
      sender = held ? Promise.resolve(held) : newSender();
      pollTimer = setTimeout(poll, POLL_MS);
    }
    startScreen.hidden = true;
    talkScreen.hidden = false;
    talkTitle.focus({ preventScroll: true });
    armIdle();
  }

  // Forgets everything: messages, typed text, sender, timers, requests, storage.
  function wipe() {
    generation += 1;
    requests.forEach(function (c) { c.abort(); });
    requests = [];
    clearTimeout(pollTimer);
    clearTimeout(idleTimer);
    clearTimeout(confirmTimer);
    clearInterval(countdownTimer);
    pollTimer = idleTimer = confirmTimer = countdownTimer = null;
    sender = null;
    lastNews = 0;
    list.replaceChildren();
    input.value = "";
    [phoneDialog, idleDialog, endDialog].forEach(function (d) { if (d.open) { d.close(); } });
    qrImage.hidden = true;
    qrImage.removeAttribute("src");
    phoneText.textContent = "";
    try {
      sessionStorage.clear();  // this tab's own storage: the conversation's id goes
    } catch (e) { /* storage disabled: nothing to clear */ }
    talkScreen.hidden = true;
    startScreen.hidden = false;
    window.scrollTo(0, 0);
    startTitle.focus({ preventScroll: true });
  }

  // Inactivity: any touch, key or click restarts the count, while a conversation is open.
  function armIdle() {
    clearTimeout(idleTimer);
    idleTimer = sender ? setTimeout(askStillThere, IDLE_MS) : null;
  }

  function showCountdown() {
    var left = Math.max(0, Math.ceil((confirmDeadline - Date.now()) / 1000));
    countdown.textContent = String(left);
  }

  function askStillThere() {
    idleTimer = null;
    [phoneDialog, endDialog].forEach(function (d) { if (d.open) { d.close(); } });
    confirmDeadline = Date.now() + CONFIRM_MS;
    showCountdown();
    countdownTimer = setInterval(showCountdown, 1000);
    confirmTimer = setTimeout(wipe, CONFIRM_MS);
    idleDialog.showModal();
  }

  function stillHere() {
    clearTimeout(confirmTimer);
    clearInterval(countdownTimer);
    confirmTimer = countdownTimer = null;
    if (idleDialog.open) { idleDialog.close(); }
    armIdle();
  }

  function onActivity() {
    if (!idleDialog.open) { armIdle(); }  // only "Oui, je continue" answers the question
    if (sender) { sender.then(remember, function () {}); }
  }

  // A reload in the middle of a conversation (not after the idle delay): shown back.
  function restore(held) {
    openConversation(held);
    request("/api/history?sender=" + encodeURIComponent(held)).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    }).then(function (data) {
      if (!(data.messages || []).length) { throw new Error("nothing to show"); }
      var mine = null;  // the last answer from its start, as when it came
      data.messages.forEach(function (m) {
        show(m);
        if (m.who === "user") { mine = list.lastElementChild; }
      });
      lastNews = data.news || 0;
      if (mine) { scrollToMessage(mine); } else { scrollDown(); }
    }).catch(wipe);  // gone (erased, expired) or unreachable: a fresh start
  }

  function continueOnPhone() {
    qrImage.hidden = true;
    qrImage.removeAttribute("src");
    phoneText.textContent = TEXT.wait;
    phoneDialog.showModal();
    sender.then(function (id) {
      return request("/api/continue", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ sender: id })
      });
    }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    }).then(function (data) {
      // Telegram where it is set up, else this same conversation in the phone's browser.
      var link = data.link || location.origin + "/?reprendre=" + encodeURIComponent(data.code);
      var qr = qrcode(0, "M");
      qr.addData(link);
      qr.make();
      qrImage.src = qr.createDataURL(6, 4);
      qrImage.hidden = false;
      phoneText.textContent = data.link ? TEXT.scan : TEXT.scanWeb;
    }).catch(function () {
      phoneText.textContent = TEXT.offline;
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll(".tile"), function (tile) {
    tile.addEventListener("click", function () {
      openConversation();
      send(tile.dataset.payload, tile.querySelector(".tile-title").textContent);
    });
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text || !sender) { return; }
    input.value = "";
    send(text, text, true);
  });

  // « Terminer » asks first: a wrong tap must not wipe a conversation.
  document.getElementById("end").addEventListener("click", function () { endDialog.showModal(); });
  document.getElementById("end-yes").addEventListener("click", wipe);
  document.getElementById("end-no").addEventListener("click", function () { endDialog.close(); });
  document.getElementById("phone").addEventListener("click", continueOnPhone);
  document.getElementById("phone-close").addEventListener("click", function () {
    phoneDialog.close();
  });
  document.getElementById("still-here").addEventListener("click", stillHere);
  idleDialog.addEventListener("cancel", function (event) {  // Escape key: the person is here
    event.preventDefault();
    stillHere();
  });

  ["pointerdown", "touchstart", "keydown", "click", "input", "wheel"].forEach(function (type) {
    document.addEventListener(type, onActivity, { capture: true, passive: true });
  });

  countdown.textContent = String(CONFIRM_MS / 1000);
  var held = stored();
  wipe();  // a fresh start; then the conversation of a reload, if it is recent
  if (held) { remember(held); restore(held); }
})();
