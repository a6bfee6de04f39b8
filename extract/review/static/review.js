// filing-extract review: the keys. Served by the app itself; no libraries.
"use strict";
(function () {
  const csrf = document.querySelector('meta[name="csrf"]').content;
  const body = document.body;
  const notice = document.getElementById("notice");
  const help = document.getElementById("help");

  function say(text, kind) {
    notice.textContent = text;
    notice.className = kind || "";
    clearTimeout(say.timer);
    say.timer = setTimeout(() => { notice.textContent = ""; notice.className = ""; }, 6000);
  }

  async function post(url, payload) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify(payload),
    });
    let data = {};
    try { data = await response.json(); } catch (e) { data = { error: "HTTP " + response.status }; }
    return { status: response.status, data: data };
  }

  function toggleHelp(show) {
    help.hidden = show === undefined ? !help.hidden : !show;
  }

  function typing(event) {
    return event.key.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey;
  }

  function queuePage() {
    const form = document.getElementById("name-form");
    if (form) {
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        const answer = await post("/api/reviewer", { name: document.getElementById("name").value });
        if (answer.status === 200) {
          document.getElementById("reviewer").textContent = answer.data.reviewer;
          say("Decisions are now audited as " + answer.data.reviewer);
        } else say(answer.data.error || "not saved", "error");
      });
    }
    document.addEventListener("keydown", (event) => {
      const inField = /INPUT|SELECT|TEXTAREA|BUTTON/.test(document.activeElement.tagName);
      if (event.key === "?" && !inField) { toggleHelp(); event.preventDefault(); }
      else if (event.key === "Escape") toggleHelp(false);
      else if (event.key === "Enter" && !inField) {
        const start = document.getElementById("start");
        if (start) { event.preventDefault(); location.href = start.href; }
      }
    });
    body.dataset.ready = "1";  // its keys are listened to (the script is deferred: the page shows first)
  }

  function bulkPage() {
    const section = document.querySelector("section.bulk");
    const button = document.getElementById("bulk-confirm");
    const started = performance.now();
    async function confirmAll() {
      const pairs = Array.from(document.querySelectorAll(".bulk-item")).map((r) => [r.dataset.record, r.dataset.field]);
      button.disabled = true;
      const answer = await post("/api/bulk", {
        field: section.dataset.field, value: section.dataset.value, form_type: section.dataset.formType,
        pairs: pairs, seconds: (performance.now() - started) / 1000,
      });
      if (answer.status === 200) {
        say(answer.data.confirmed + " confirmed");
        body.dataset.confirmed = String(answer.data.confirmed);
        setTimeout(() => { location.href = section.dataset.back; }, 400);
      } else { button.disabled = false; say(answer.data.error || "not confirmed", "error"); }
    }
    if (button) button.addEventListener("click", confirmAll);
    document.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && button && !button.disabled) { event.preventDefault(); confirmAll(); }
      else if (event.key === "Escape") location.href = section.dataset.back;
      else if (event.key === "?") toggleHelp();
    });
    body.dataset.ready = "1";  // its keys are listened to
  }

  function formPage() {
    const data = JSON.parse(document.getElementById("form-data").textContent);
    const rows = Array.from(document.querySelectorAll("#fields .row"));
    const crop = document.getElementById("crop");
    const noCrop = document.getElementById("nocrop");
    const mismatch = document.getElementById("mismatch");
    const stale = document.getElementById("stale");
    const aliasBox = document.getElementById("alias");
    const left = document.getElementById("left");
    const state = { at: -1, editing: false, shownAt: performance.now(), mismatch: null, alias: null, busy: false,
                    wholePage: false };

    // data-ready: the item's crop is shown; data-ready-ms: when that first happened, in ms since the
    // navigation began (benchmarks/review_run.py reads it as the time for an item's page to be ready).
    function ready() {
      body.dataset.ready = "1";
      if (!body.dataset.readyMs) body.dataset.readyMs = String(Math.round(performance.now()));
    }

    function row() { return rows[state.at]; }
    function input(r) { return r.querySelector("input.value"); }

    function showCrop(r) {
      const url = state.wholePage ? null : r.dataset.crop;
      if (url) {
        noCrop.hidden = true; crop.hidden = false;
        if (crop.getAttribute("src") !== url) { body.dataset.ready = ""; crop.src = url; }
        else if (crop.complete) ready();
      } else if (state.wholePage && r.dataset.crop) {
        crop.src = r.dataset.crop + "&whole=1";
      } else { crop.hidden = true; noCrop.hidden = false; ready(); }
      const next = rows[(state.at + 1) % rows.length];
      if (next && next.dataset.crop) new Image().src = next.dataset.crop;  // ready before it is needed
    }

    function select(i) {
      if (!rows.length) return;
      stopEditing(true);
      state.at = (i + rows.length) % rows.length;
      rows.forEach((r, n) => r.classList.toggle("selected", n === state.at));
      document.querySelectorAll("table.context").forEach((t) => { t.hidden = t.dataset.for !== String(state.at); });
      mismatch.hidden = true; state.mismatch = null; stale.hidden = true;
      showCrop(row());
      row().scrollIntoView({ block: "nearest" });
      state.shownAt = performance.now();
      body.dataset.selected = row().dataset.field;
    }

    function startEditing(initial) {
      const r = row();
      if (r.dataset.group) { say("This is a group of fields: it can only be accepted (Enter) as a whole.", "error"); return; }
      const field = input(r);
      state.editing = true;
      r.classList.add("editing");
      field.focus();
      if (initial !== undefined) field.value = initial;
      const end = field.value.length;
      field.setSelectionRange(end, end);
    }

    function stopEditing(restore) {
      const r = row();
      if (!r) return;
      const field = input(r);
      if (restore) field.value = r.dataset.value !== undefined ? r.dataset.value : "";
      state.editing = false;
      r.classList.remove("editing");
      field.blur();
    }

    function seconds() { return (performance.now() - state.shownAt) / 1000; }

    function applied(r, decision) {
      r.dataset.status = decision.status;
      r.dataset.version = String(decision.version);
      r.dataset.value = decision.value;
      delete r.dataset.blind;
      r.className = "row status-" + decision.status + (r.classList.contains("selected") ? " selected" : "");
      r.querySelector(".state").textContent = decision.status;
      input(r).value = decision.value;
      r.querySelector(".decided").textContent = decision.status === "open" ? "undone: open again"
        : decision.status + " by " + decision.decided_by + " at " + decision.decided_at;
    }

    function go(answer) {
      if (left && answer.left !== undefined) left.textContent = String(answer.left);
      if (!answer.next) { location.href = answer.done_url || "/?done=1"; return; }
      if (answer.next.record_id === data.record_id) {
        const i = rows.findIndex((r) => r.dataset.field === answer.next.field);
        if (i >= 0) { select(i); return; }
      }
      location.href = answer.next.url;
    }

    function showAlias(offer) {
      state.alias = offer;
      if (!offer) { aliasBox.hidden = true; return; }
      aliasBox.textContent = "Press a to remember: the printed name “" + offer.printed + "” means “" + offer.canonical + "” (every form type).";
      aliasBox.hidden = false;
    }

    async function decide(payload) {
      if (state.busy) return;
      const r = row();
      state.busy = true;
      const answer = await post("/api/decide", Object.assign({
        record_id: data.record_id, field: r.dataset.field, version: Number(r.dataset.version),
        seconds: seconds(), filters: data.filters,
      }, payload));
      state.busy = false;
      if (answer.status === 200 && answer.data.mismatch) {
        state.mismatch = answer.data.mismatch;
        document.getElementById("mm-typed").textContent = answer.data.mismatch.typed || "(blank)";
        document.getElementById("mm-read").textContent = answer.data.mismatch.extracted || "(blank)";
        mismatch.hidden = false;
        stopEditing(false);
        body.dataset.mismatch = "1";
        return;
      }
      body.dataset.mismatch = "";
      if (answer.status === 200) {
        applied(r, answer.data.decision);
        stopEditing(false);
        showAlias(answer.data.alias);
        body.dataset.decisions = String(Number(body.dataset.decisions || 0) + 1);
        go(answer.data);
      } else if (answer.status === 409) {
        const s = answer.data.stale;
        stopEditing(true);
        r.dataset.version = String(s.version);
        if (s.value !== null && s.value !== undefined) { r.dataset.value = s.value; input(r).value = s.value; }
        r.dataset.status = s.status;
        r.querySelector(".state").textContent = s.status;
        stale.textContent = (s.decided_by || "Someone") + " " + s.status + " this" + (s.decided_at ? " at " + s.decided_at : "")
          + ": it now reads “" + (s.value || "") + "”. Your decision was not saved. Look again, then decide.";
        stale.hidden = false;
        body.dataset.stale = "1";
      } else {
        say(answer.data.error || ("HTTP " + answer.status), "error");
        if (state.editing) input(r).select();
      }
    }

    function enter() {
      const r = row();
      const field = input(r);
      if (state.editing) {
        const typed = field.value;
        if (r.dataset.blind) decide({ blind: true, value: typed });
        else if (typed === (r.dataset.value || "")) decide({ action: "confirm" });
        else decide({ action: "correct", value: typed });
        return;
      }
      if (r.dataset.blind) { say("Type the amount you read on the page, then Enter.", "error"); startEditing(""); return; }
      if (r.dataset.status !== "open") { nextOpen(); return; }
      decide({ action: "confirm" });
    }

    function nextOpen() {
      for (let step = 1; step <= rows.length; step++) {
        const i = (state.at + step) % rows.length;
        if (rows[i].dataset.status === "open") { select(i); return; }
      }
      location.href = "/next?" + new URLSearchParams(data.filters).toString();
    }

    async function undoLast() {
      const answer = await post("/api/undo", { filters: data.filters, seconds: 0 });
      if (answer.status !== 200) { say(answer.data.error || "nothing undone", "error"); return; }
      const d = answer.data.decision;
      say("Undone: " + d.field + " is open again");
      if (d.record_id === data.record_id) {
        const i = rows.findIndex((r) => r.dataset.field === d.field);
        if (i >= 0) { applied(rows[i], d); select(i); if (left) left.textContent = String(answer.data.left); return; }
      }
      location.href = answer.data.url;
    }

    async function saveAlias() {
      if (!state.alias) { say("Nothing to save as an alias here: decide an indicator's name first.", "error"); return; }
      const answer = await post("/api/alias", state.alias);
      if (answer.status === 200) { say("Alias saved: “" + answer.data.printed + "” → “" + answer.data.canonical + "”"); showAlias(null); }
      else say(answer.data.error || "not saved", "error");
    }

    async function resolve(keep) {
      const m = state.mismatch;
      mismatch.hidden = true; state.mismatch = null;
      if (keep === "typed") await decide({ action: "correct", value: m.value });
      else await decide({ action: "confirm" });
    }

    crop.addEventListener("load", ready);
    crop.addEventListener("error", () => { crop.hidden = true; noCrop.hidden = false; noCrop.textContent = "The page image could not be shown (the source file may have moved)."; ready(); });
    rows.forEach((r, i) => {
      r.addEventListener("click", () => { if (state.at !== i) select(i); });
      input(r).addEventListener("dblclick", () => startEditing());
    });

    document.addEventListener("keydown", (event) => {
      if (!rows.length) return;
      const key = event.key;
      if (!help.hidden) { if (key === "Escape" || key === "?") { toggleHelp(false); event.preventDefault(); } return; }
      if (event.isComposing) return;
      if (state.editing) {
        if (key === "Enter") { event.preventDefault(); enter(); }
        else if (key === "Escape") { event.preventDefault(); stopEditing(true); }
        else if (key === "Tab") { event.preventDefault(); say("Enter saves the value, Esc cancels it.", ""); }
        return;
      }
      if (state.mismatch && (key === "1" || key === "2")) { event.preventDefault(); resolve(key === "1" ? "typed" : "read"); return; }
      if (key === "Enter") { event.preventDefault(); enter(); }
      else if (key === "Tab") { event.preventDefault(); select(state.at + (event.shiftKey ? -1 : 1)); }
      else if (key === "ArrowDown") { event.preventDefault(); select(state.at + 1); }
      else if (key === "ArrowUp") { event.preventDefault(); select(state.at - 1); }
      else if (key === "F2") { event.preventDefault(); startEditing(); }
      else if (key === "Backspace" || key === "Delete") { event.preventDefault(); startEditing(""); }
      else if (key === "Escape") { stale.hidden = true; mismatch.hidden = true; state.mismatch = null; }
      else if ((key === "z" || key === "Z") && (event.ctrlKey || event.metaKey)) { event.preventDefault(); undoLast(); }
      else if (!typing(event) && key !== "Process") return;
      else if (key === "u") { event.preventDefault(); undoLast(); }
      else if (key === "?") { event.preventDefault(); toggleHelp(true); }
      else if (key === "a") { event.preventDefault(); saveAlias(); }
      else if (key === "b") {
        event.preventDefault();
        if (row().dataset.bulk) location.href = row().dataset.bulk;
        else say("Bulk confirm is off for a field typed blind.", "error");
      }
      else if (key === "q") { event.preventDefault(); location.href = "/?" + new URLSearchParams(data.filters).toString(); }
      else if (key === "p") { event.preventDefault(); state.wholePage = !state.wholePage; showCrop(row()); }
      else if (key === "Process") startEditing("");  // an input method: let it compose in the box
      else { event.preventDefault(); startEditing(key); }
    });

    select(rows.length ? data.focus : 0);
  }

  document.addEventListener("keydown", (event) => { if (event.key === "Escape") toggleHelp(false); });
  if (body.dataset.page === "queue") queuePage();
  else if (body.dataset.page === "bulk") bulkPage();
  else if (body.dataset.page === "form") formPage();
})();
