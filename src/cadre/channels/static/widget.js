/* Cadre web chat widget.
 *
 *   <script src="https://CADRE_HOST/widget.js" data-agent="service" data-key="CHANNEL_KEY"
 *           data-user-email="..." data-user-hash="..." async></script>
 *
 * Renders a chat bubble in a shadow root (the page's styles and the widget's never meet), talks to the agent through
 * Cadre's API with the page's channel key, streams replies, shows their sources, hands over to a person when the
 * agent does (then polls for the person's replies), keeps the conversation across reloads, and asks for a rating
 * when the chat ends. Plain JavaScript, no dependencies.
 */
(function () {
  "use strict";

  var script = document.currentScript || document.querySelector("script[src*='/widget.js'][data-agent]");
  if (!script || window.__cadreWidget) return;
  window.__cadreWidget = true;

  var origin = new URL(script.src, window.location.href).origin;
  var config = {
    agent: script.getAttribute("data-agent") || "service",
    key: script.getAttribute("data-key") || "",
    email: script.getAttribute("data-user-email"),
    hash: script.getAttribute("data-user-hash"),
    title: script.getAttribute("data-title") || "Chat with us",
  };
  var storeKey = "cadre-widget:" + origin + ":" + config.agent;
  var POLL_MS = 3000;

  var state = { conversationId: null, lastSeq: 0, status: null, poller: null, busy: false };
  var ui = {};

  // ------------------------------------------------------------------ storage

  function saved() {
    try {
      return JSON.parse(window.localStorage.getItem(storeKey) || "{}");
    } catch (e) {
      return {};
    }
  }

  function save(changes) {
    var next = Object.assign(saved(), changes);
    try {
      window.localStorage.setItem(storeKey, JSON.stringify(next));
    } catch (e) {
      /* private mode: the chat still works, it just won't survive a reload */
    }
  }

  // ------------------------------------------------------------------ API

  function headers() {
    return { "Content-Type": "application/json", Authorization: "Bearer " + config.key };
  }

  async function api(method, path, body) {
    var response = await fetch(origin + path, {
      method: method,
      headers: headers(),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    var data = await response.json().catch(function () {
      return {};
    });
    if (!response.ok) {
      var error = new Error(data.error || "The chat service answered " + response.status);
      error.status = response.status;
      throw error;
    }
    return data;
  }

  async function openConversation() {
    var body = { agent: config.agent, channel: "web" };
    if (config.email && config.hash) body.user = { email: config.email, hash: config.hash };
    var opened = await api("POST", "/api/conversations", body);
    state.conversationId = opened.conversation_id;
    state.status = opened.status;
    save({ conversation: state.conversationId });
    if (opened.continued) await sync(true); // a conversation the visitor began on another channel
  }

  // Reads a `text/event-stream` body and calls `onEvent(name, data)` per event.
  async function readEvents(response, onEvent) {
    var reader = response.body.getReader();
    var decoder = new TextDecoder();
    var buffer = "";
    for (;;) {
      var chunk = await reader.read();
      if (chunk.done) break;
      buffer += decoder.decode(chunk.value, { stream: true }).replace(/\r\n/g, "\n");
      var end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        var block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        var name = "message";
        var lines = [];
        block.split("\n").forEach(function (line) {
          if (line.indexOf("event:") === 0) name = line.slice(6).trim();
          else if (line.indexOf("data:") === 0) lines.push(line.slice(5).replace(/^ /, ""));
        });
        if (lines.length) onEvent(name, JSON.parse(lines.join("\n")));
      }
    }
  }

  // ------------------------------------------------------------------ conversation

  async function send(text) {
    state.busy = true;
    setBusy(true);
    var bubble = null;
    var shown = false;
    try {
      // Opened first: a conversation continued from another channel shows its earlier messages above this one.
      if (!state.conversationId) await openConversation();
      addMessage("customer", text);
      shown = true;
      bubble = addMessage("agent", "");
      bubble.text.setAttribute("aria-busy", "true");
      var response = await fetch(origin + "/api/conversations/" + state.conversationId + "/messages/stream", {
        method: "POST",
        headers: headers(),
        body: JSON.stringify({ message: text }),
      });
      if (!response.ok) {
        var failed = await response.json().catch(function () {
          return {};
        });
        throw new Error(failed.error || "The chat service answered " + response.status);
      }
      await readEvents(response, function (name, data) {
        if (name === "delta") {
          bubble.text.textContent += data.text;
          scrollDown();
        } else if (name === "turn") {
          finishReply(bubble, data);
        } else if (name === "error") {
          throw new Error(data.error);
        }
      });
      await sync(false);
    } catch (error) {
      if (bubble && !bubble.text.textContent) bubble.item.remove();
      if (!shown) ui.input.value = text; // nothing was sent: the visitor keeps what they typed
      showError(error.message);
    } finally {
      if (bubble) bubble.text.setAttribute("aria-busy", "false");
      state.busy = false;
      setBusy(false);
    }
  }

  function finishReply(bubble, turn) {
    bubble.text.textContent = turn.reply; // guardrails may have revised what streamed
    addCitations(bubble.item, turn.citations || []);
    addThumbs(bubble.item, turn.turn_id);
    if (turn.handoff) {
      state.status = "handed_off";
      addNotice("A person from our team will answer you here.");
      startPolling();
    }
    scrollDown();
  }

  // New messages since the last one seen. Live, only a person's replies are new to the visitor (their own messages
  // and the agent's replies are already on screen); restoring a conversation shows everything.
  async function sync(everything) {
    var data = await api("GET", "/api/conversations/" + state.conversationId + "?after=" + state.lastSeq);
    data.messages.forEach(function (message) {
      state.lastSeq = Math.max(state.lastSeq, message.seq);
      if (everything || message.role === "human") addMessage(message.role, message.text, message.author);
    });
    var previous = state.status;
    state.status = data.status;
    return previous;
  }

  async function restore(conversationId) {
    state.conversationId = conversationId;
    try {
      await sync(true);
    } catch (error) {
      if (error.status === 404 || error.status === 403 || error.status === 401) {
        reset();
        return;
      }
      showError(error.message);
      return;
    }
    if (state.status === "handed_off") startPolling();
  }

  function startPolling() {
    if (state.poller) return;
    state.poller = window.setInterval(async function () {
      if (state.busy || !state.conversationId) return;
      try {
        var previous = await sync(false);
        if (state.status !== "handed_off") {
          stopPolling();
          if (previous === "handed_off" && state.status === "resolved") askRating();
        }
      } catch (error) {
        showError(error.message);
      }
    }, POLL_MS);
  }

  function stopPolling() {
    if (state.poller) window.clearInterval(state.poller);
    state.poller = null;
  }

  function reset() {
    stopPolling();
    state.conversationId = null;
    state.lastSeq = 0;
    state.status = null;
    save({ conversation: null });
    ui.log.textContent = "";
    ui.rating.hidden = true;
    ui.form.hidden = false;
  }

  // ------------------------------------------------------------------ feedback

  function askRating() {
    if (!state.conversationId) {
      setOpen(false);
      return;
    }
    stopPolling();
    ui.form.hidden = true;
    ui.rating.hidden = false;
    ui.ratingChoice = null;
    ui.ratingButtons.forEach(function (button) {
      button.setAttribute("aria-pressed", "false");
    });
    ui.ratingSubmit.disabled = true;
    ui.ratingThanks.hidden = true;
    ui.ratingFields.hidden = false;
    ui.ratingButtons[0].focus();
  }

  async function submitRating() {
    var body = { csat: ui.ratingChoice };
    var comment = ui.ratingComment.value.trim();
    if (comment) body.comment = comment;
    ui.ratingSubmit.disabled = true;
    try {
      await api("POST", "/api/conversations/" + state.conversationId + "/feedback", body);
    } catch (error) {
      ui.ratingSubmit.disabled = false;
      showError(error.message);
      return;
    }
    save({ conversation: null }); // rated: a reload starts afresh
    ui.ratingFields.hidden = true;
    ui.ratingThanks.hidden = false;
    ui.newChat.focus();
  }

  async function thumbs(turnId, value, buttons) {
    buttons.forEach(function (button) {
      button.disabled = true;
    });
    try {
      await api("POST", "/api/conversations/" + state.conversationId + "/feedback", { turn_id: turnId, thumbs: value });
      buttons.forEach(function (button) {
        button.setAttribute("aria-pressed", String(button.getAttribute("data-value") === value));
      });
    } catch (error) {
      buttons.forEach(function (button) {
        button.disabled = false;
      });
      showError(error.message);
    }
  }

  // ------------------------------------------------------------------ rendering

  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      if (name === "text") node.textContent = attributes[name];
      else node.setAttribute(name, attributes[name]);
    });
    (children || []).forEach(function (child) {
      node.appendChild(child);
    });
    return node;
  }

  var WHO = { customer: "You", agent: "Assistant", human: "Support" };

  function addMessage(role, text, author) {
    var who = el("span", { class: "cw-who", text: role === "human" && author ? author : WHO[role] || role });
    var body = el("p", { class: "cw-text", text: text });
    var item = el("li", { class: "cw-message cw-" + role }, [who, body]);
    ui.log.appendChild(item);
    scrollDown();
    return { item: item, text: body };
  }

  function addNotice(text) {
    ui.log.appendChild(el("li", { class: "cw-notice", role: "status", text: text }));
    scrollDown();
  }

  function safeUrl(url) {
    try {
      var parsed = new URL(url, window.location.href);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
    } catch (e) {
      return null;
    }
  }

  function addCitations(item, citations) {
    var seen = {};
    var links = [];
    citations.forEach(function (citation) {
      var url = safeUrl(citation.url || "");
      if (!url || seen[url]) return;
      seen[url] = true;
      var link = el("a", { href: url, target: "_blank", rel: "noopener noreferrer", text: citation.title || url });
      links.push(el("li", {}, [link]));
    });
    if (!links.length) return;
    item.appendChild(el("p", { class: "cw-sources-label", text: "Sources" }));
    item.appendChild(el("ul", { class: "cw-sources", "aria-label": "Sources" }, links));
  }

  function addThumbs(item, turnId) {
    if (!turnId) return;
    var up = el("button", { type: "button", class: "cw-thumb", "data-value": "up", "aria-pressed": "false",
      "aria-label": "Helpful", title: "Helpful", text: "\uD83D\uDC4D" });
    var down = el("button", { type: "button", class: "cw-thumb", "data-value": "down", "aria-pressed": "false",
      "aria-label": "Not helpful", title: "Not helpful", text: "\uD83D\uDC4E" });
    var buttons = [up, down];
    buttons.forEach(function (button) {
      button.addEventListener("click", function () {
        thumbs(turnId, button.getAttribute("data-value"), buttons);
      });
    });
    item.appendChild(el("div", { class: "cw-thumbs", role: "group", "aria-label": "Was this helpful?" }, buttons));
  }

  function showError(message) {
    ui.error.textContent = message;
    ui.error.hidden = false;
  }

  function setBusy(busy) {
    ui.input.disabled = busy;
    ui.send.disabled = busy;
    if (!busy) ui.input.focus();
  }

  function scrollDown() {
    ui.log.scrollTop = ui.log.scrollHeight;
  }

  function setOpen(open) {
    ui.panel.hidden = !open;
    ui.bubble.setAttribute("aria-expanded", String(open));
    ui.bubble.setAttribute("aria-label", open ? "Close chat" : "Open chat");
    save({ open: open });
    if (open) ui.input.focus();
  }

  function build() {
    var host = el("div", { id: "cadre-widget" });
    document.body.appendChild(host);
    var root = host.attachShadow({ mode: "open" });
    root.appendChild(el("link", { rel: "stylesheet", href: origin + "/widget.css" }));

    ui.bubble = el("button", { type: "button", class: "cw-bubble", "aria-controls": "cw-panel",
      "aria-expanded": "false", "aria-label": "Open chat" }, [el("span", { "aria-hidden": "true", text: "\uD83D\uDCAC" })]);

    var heading = el("h2", { class: "cw-title", id: "cw-title", text: config.title });
    ui.end = el("button", { type: "button", class: "cw-end", text: "End chat" });
    ui.close = el("button", { type: "button", class: "cw-close", "aria-label": "Close chat", text: "\u00D7" });
    var header = el("div", { class: "cw-header" }, [heading, ui.end, ui.close]);

    ui.log = el("ol", { class: "cw-log", role: "log", "aria-live": "polite", "aria-label": "Messages" });
    ui.error = el("p", { class: "cw-error", role: "alert" });
    ui.error.hidden = true;

    ui.input = el("textarea", { id: "cw-input", class: "cw-input", rows: "2", maxlength: "4000", required: "" });
    ui.send = el("button", { type: "submit", class: "cw-send", text: "Send" });
    var label = el("label", { for: "cw-input", class: "cw-visually-hidden", text: "Your message" });
    ui.form = el("form", { class: "cw-form" }, [label, ui.input, ui.send]);

    ui.ratingButtons = [1, 2, 3, 4, 5].map(function (score) {
      var button = el("button", { type: "button", class: "cw-score", "aria-pressed": "false",
        "aria-label": "Rate " + score + " out of 5", text: String(score) });
      button.addEventListener("click", function () {
        ui.ratingChoice = score;
        ui.ratingButtons.forEach(function (other) {
          other.setAttribute("aria-pressed", String(other === button));
        });
        ui.ratingSubmit.disabled = false;
      });
      return button;
    });
    ui.ratingComment = el("textarea", { id: "cw-comment", class: "cw-input", rows: "2", maxlength: "4000" });
    ui.ratingSubmit = el("button", { type: "submit", class: "cw-send", text: "Send rating" });
    ui.ratingFields = el("div", {}, [
      el("p", { class: "cw-question", id: "cw-question", text: "How satisfied are you with this chat? (1 to 5)" }),
      el("div", { class: "cw-scores", role: "group", "aria-labelledby": "cw-question" }, ui.ratingButtons),
      el("label", { for: "cw-comment", text: "Anything to add? (optional)" }),
      ui.ratingComment,
      ui.ratingSubmit,
    ]);
    ui.newChat = el("button", { type: "button", class: "cw-send", text: "Start a new chat" });
    ui.ratingThanks = el("div", { role: "status" }, [el("p", { text: "Thank you for your feedback." }), ui.newChat]);
    ui.ratingThanks.hidden = true;
    ui.rating = el("form", { class: "cw-rating" }, [ui.ratingFields, ui.ratingThanks]);
    ui.rating.hidden = true;

    ui.panel = el("div", { id: "cw-panel", class: "cw-panel", role: "dialog", "aria-labelledby": "cw-title" },
      [header, ui.log, ui.error, ui.form, ui.rating]);
    ui.panel.hidden = true;
    root.appendChild(el("div", { class: "cw-root" }, [ui.panel, ui.bubble]));

    ui.bubble.addEventListener("click", function () {
      setOpen(ui.panel.hidden);
    });
    ui.close.addEventListener("click", function () {
      setOpen(false);
      ui.bubble.focus();
    });
    ui.panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        setOpen(false);
        ui.bubble.focus();
      }
    });
    ui.end.addEventListener("click", askRating);
    ui.form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = ui.input.value.trim();
      if (!text || state.busy) return;
      ui.input.value = "";
      ui.error.hidden = true;
      send(text);
    });
    ui.input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey) {
        event.preventDefault();
        ui.form.requestSubmit();
      }
    });
    ui.rating.addEventListener("submit", function (event) {
      event.preventDefault();
      if (ui.ratingChoice) submitRating();
    });
    ui.newChat.addEventListener("click", function () {
      reset();
      ui.input.focus();
    });
  }

  function start() {
    build();
    var remembered = saved();
    if (remembered.conversation) restore(remembered.conversation);
    if (remembered.open) setOpen(true);
  }

  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
