// The console's few live parts: the plotly chart, and polling for new hand-offs and new messages.
"use strict";

(function () {
  const POLL_MS = 4000;

  function drawCharts() {
    document.querySelectorAll("[data-figure]").forEach(function (node) {
      if (typeof Plotly === "undefined") return;
      const figure = JSON.parse(node.dataset.figure);
      if (!figure.data.length) {
        node.textContent = "No turns to chart.";
        return;
      }
      Plotly.newPlot(node, figure.data, figure.layout, { displaylogo: false, responsive: true });
    });
  }

  function poll(url, onData) {
    function tick() {
      fetch(url(), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) { if (data) onData(data); })
        .catch(function () { /* offline for a moment: the next tick tries again */ })
        .finally(function () { window.setTimeout(tick, POLL_MS); });
    }
    window.setTimeout(tick, POLL_MS);
  }

  function cell(row, text, href) {
    const td = row.insertCell();
    if (href) {
      const a = document.createElement("a");
      a.href = href;
      a.textContent = text;
      td.appendChild(a);
    } else {
      td.textContent = text;
    }
  }

  function liveHandoffs() {
    const table = document.getElementById("handoffs");
    if (!table || table.dataset.live !== "on") return;
    const note = document.getElementById("live-note");
    let after = Number(table.dataset.after || 0);
    poll(function () { return "/console/inbox/updates?after=" + after; }, function (data) {
      const queue = table.dataset.queue;
      const fresh = data.handoffs.filter(function (h) { return !queue || h.queue === queue; });
      data.handoffs.forEach(function (h) { after = Math.max(after, h.id); });
      if (!fresh.length) return;
      const body = table.tBodies[0];
      const empty = body.querySelector("tr.empty");
      if (empty) empty.remove();
      fresh.forEach(function (h) {
        const row = body.insertRow();
        row.className = "new";
        cell(row, "#" + h.id, h.url);
        cell(row, h.queue);
        cell(row, h.summary.length > 140 ? h.summary.slice(0, 139) + "…" : h.summary, h.url);
        cell(row, h.language || "—");
        cell(row, h.reason);
        cell(row, "—");
        cell(row, h.created_at.slice(0, 16).replace("T", " "));
      });
      note.textContent = fresh.length + " new hand-off" + (fresh.length === 1 ? "" : "s") + " arrived.";
    });
  }

  function liveMessages() {
    const holder = document.querySelector("[data-live-messages]");
    if (!holder) return;
    const list = holder.querySelector("#transcript");
    const note = document.getElementById("live-note");
    poll(function () { return holder.dataset.liveMessages + "?after=" + list.dataset.lastSeq; }, function (data) {
      data.messages.forEach(function (m) {
        if (m.seq <= Number(list.dataset.lastSeq)) return;
        const item = document.createElement("li");
        item.className = "msg msg-" + m.role + " new";
        item.dataset.seq = m.seq;
        const meta = document.createElement("div");
        meta.className = "meta";
        const who = document.createElement("strong");
        who.textContent = m.author || m.role;
        meta.append(who, " · " + m.channel + " · " + m.at.slice(0, 19).replace("T", " "));
        const text = document.createElement("p");
        text.className = "text";
        text.textContent = m.text;
        item.append(meta, text);
        list.appendChild(item);
        list.dataset.lastSeq = m.seq;
        if (m.role === "customer") note.textContent = "The customer wrote again.";
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawCharts();
    liveHandoffs();
    liveMessages();
  });
})();
