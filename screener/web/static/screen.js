// The screening page: keys and buttons post a decision, the reply carries the next record,
// and the record card is swapped in place (no page load). Record text arrives already
// escaped and highlighted by the server (title_html, abstract_html); everything else is set
// with textContent, so record text is never run as HTML.
(function () {
  "use strict";
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const $ = (id) => document.getElementById(id);
  const card = $("record"), note = $("note"), flashEl = $("flash");
  const buttons = Array.from(document.querySelectorAll("#buttons button"));
  const WORDS = { include: "included", exclude: "excluded", maybe: "marked maybe" };
  let busy = false;
  let pollTimer = null;
  // an undo pressed while a decision was being saved ("i" then "u" at once): done once the save
  // is answered (dropped, the reviewer believed a decision withdrawn that stood). One only: a
  // second press meanwhile, as any key while a request is out, is not taken
  let deciding = false;
  let undoWaiting = false;
  // the records this page decided, latest last: its undo withdraws the decision made here, not one
  // made meanwhile in another tab or window (a reload forgets them: then the latest of all)
  const saved = [];
  // keypress-to-record-shown times in ms, for the benchmark (benchmarks/bench_web.py)
  window.screenerTimings = [];

  function flash(text, isError) {
    flashEl.textContent = text || "";
    flashEl.classList.toggle("error", !!isError);
  }

  function setBusy(b) {
    busy = b;
    buttons.forEach((btn) => { btn.disabled = b; });
    if (!b && undoWaiting) {
      undoWaiting = false;
      undo(performance.now());
    }
  }

  function text(id, value) { $(id).textContent = value == null ? "" : String(value); }

  function renderStatus(st, counts) {
    if (counts) {
      text("n-included", counts.included);
      text("n-maybe", counts.maybe);
      text("n-screened", counts.screened);
      text("n-total", counts.total);
      // the rest excluded unread at the stop: neither screened nor left ('screener status' counts them so)
      text("n-unscreened", counts.excluded_unscreened);
      $("rest-unscreened").hidden = !counts.excluded_unscreened;
      if ($("done-rest")) {  // dual: 'You have screened every record' is not said of records never read
        $("done-rest").hidden = !counts.excluded_unscreened;
        $("done-screened").hidden = !!counts.excluded_unscreened;
      }
    }
    if (st) {
      const box = $("model-status");
      text("model-phase", st.phase_text || st.phase || "starting");
      text("model-retrains", st.retrains == null ? "" : st.retrains);
      text("model-times", st.retrains === 1 ? "time" : "times");
      $("model-fits").hidden = st.retrains == null;
      $("model-busy").hidden = !st.retraining;
      box.dataset.generation = st.generation;
      box.dataset.retrains = st.retrains;
      if (st.error) flash("The ranking could not be updated: " + st.error, true);
    }
  }

  function render(data) {
    renderStatus(data.status, data.counts);
    const rec = data.record;
    $("state-done").hidden = !data.done;
    if (data.done && $("done-blind")) {  // dual: still blind, the conflicts and recall wait for the others
      text("done-blind", data.blind_words);
      $("done-blind").hidden = !data.blind_words;
      $("done-team").hidden = !!data.blind_words;
    }
    $("state-waiting").hidden = !!rec || !data.waiting;
    $("state-preparing").hidden = !!rec || data.done || data.waiting || (data.status && data.status.ready);
    if (!rec) {
      card.hidden = true;
      card.dataset.recordId = "";
      card.dataset.rankingId = "";
      card.dataset.pick = "";
      if (!data.done) schedulePoll();
      return;
    }
    card.hidden = false;
    card.dataset.recordId = rec.record_id;
    card.dataset.rankingId = rec.ranking_id == null ? "" : rec.ranking_id;  // sent back with the decision
    card.dataset.pick = rec.pick || "";  // screening blind: the ranking sealed, sent back the same way
    $("rec-title").innerHTML = rec.title_html;          // escaped + <mark> by the server
    if (rec.abstract_html) {
      $("rec-abstract").innerHTML = rec.abstract_html;  // escaped + <mark> by the server
    } else {
      $("rec-abstract").innerHTML = '<span class="muted">No abstract.</span>';
    }
    text("rec-retracted", rec.retracted);  // a copy of the study is titled as retracted
    $("rec-retracted").hidden = !rec.retracted;
    text("rec-authors", rec.authors);
    text("rec-year", rec.year);
    text("rec-journal", rec.journal);
    const doi = $("rec-doi");
    if (rec.doi_url) { doi.href = rec.doi_url; doi.textContent = "doi:" + rec.doi; doi.hidden = false; }
    else { doi.removeAttribute("href"); doi.textContent = ""; doi.hidden = true; }
    const reg = $("rec-register");  // a trial register's record: its trial id, linked to its entry in the register
    if (rec.register_url) { reg.href = rec.register_url; } else { reg.removeAttribute("href"); }
    reg.textContent = rec.trial_id || (rec.register_url ? "register entry" : "");
    $("rec-trial").hidden = !(rec.trial_id || rec.register_url);
    text("rec-reason", rec.reason || "No explanation yet.");
    text("rec-id", rec.record_id);
    text("rec-rank", rec.rank || "–");
    $("rec-rank-text").hidden = !rec.rank;
    text("rec-source", rec.source_db);
    window.scrollTo(0, 0);
  }

  function shown(t0, net) {
    // after the next paint: requestAnimationFrame runs before it, the timeout just after
    requestAnimationFrame(() => setTimeout(() => {
      window.screenerTimings.push({ ms: performance.now() - t0, net: net, record: card.dataset.recordId });
      document.body.dataset.shown = String(window.screenerTimings.length);
    }, 0));
  }

  async function call(method, url, body) {
    const opts = { method: method, credentials: "same-origin", headers: {} };
    if (method === "POST") {
      opts.headers["Content-Type"] = "application/json";
      opts.headers["X-CSRF-Token"] = csrf;
      opts.body = JSON.stringify(body || {});
    }
    let resp;
    try {
      resp = await fetch(url, opts);
    } catch (e) {  // no answer at all: the server is stopped or the network is down
      const lost = new Error(method === "POST"
        ? "The screener server did not answer, so this was NOT saved. Check that 'screener serve' is still running, then press the key again."
        : "The screener server did not answer. Check that 'screener serve' is still running.");
      lost.lost = true;
      throw lost;
    }
    let data = null;
    try { data = await resp.json(); } catch (e) { data = null; }
    if (!resp.ok) {
      const err = new Error((data && data.error) || ("The server answered " + resp.status + ". Reload the page."));
      err.data = data;
      err.retry = resp.status === 503 || resp.status === 502 || resp.status === 504;
      throw err;
    }
    return data;
  }

  // A key for one keypress: if its answer is lost (a restarting server, a dropped connection)
  // the same request goes again, and the server logs the decision once.
  function requestId() {
    const b = new Uint8Array(12);
    crypto.getRandomValues(b);
    return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  }

  // Sent again: for a minute while the server says its database is restarting (503), for a few
  // seconds when no answer came (a worker restarting); then the message says what to do.
  async function callAgain(method, url, body) {
    for (let attempt = 0; ; attempt++) {
      try {
        return await call(method, url, body);
      } catch (err) {
        if (!((err.lost && attempt < 4) || (err.retry && attempt < 20))) throw err;
        flash("The server is not answering; sending it again...", true);
        await new Promise((ok) => setTimeout(ok, Math.min(500 * (attempt + 1), 3000)));
      }
    }
  }

  async function decide(decision, t0) {
    const rid = card.dataset.recordId;
    if (busy || !rid) return;
    setBusy(true);
    deciding = true;
    try {
      const t1 = performance.now();
      const data = await callAgain("POST", "/api/decide",
        // "undecided": the record was shown undecided here; if it was decided otherwise since
        // (another tab, another window), the server keeps that decision and says so
        // ranking_id: the ranking the record was picked from, logged with the decision
        { record_id: Number(rid), decision: decision, note: note.value, request_id: requestId(),
          expect: "undecided", ranking_id: card.dataset.rankingId ? Number(card.dataset.rankingId) : null,
          pick: card.dataset.pick || null });
      const net = performance.now() - t1;
      saved.push(Number(rid));
      note.value = "";
      render(data);
      flash("Saved: record " + rid + " " + WORDS[decision] + "." + (data.message ? " " + data.message : ""));
      if (data.record) shown(t0, net);
    } catch (err) {
      undoWaiting = false;  // an undo pressed meanwhile was for this decision, which was not saved
      let message = err.message;
      if (err.data && "record" in err.data) {  // refused, with the next record: the note was for this one
        // kept in the field when the record shown is the study it was written for (a copy merged into
        // it meanwhile); else given in the message, to copy (cleared without a word, it was lost)
        const typed = note.value.trim();
        const same = err.data.study != null && !!err.data.record && err.data.record.record_id === err.data.study;
        if (!same) {
          note.value = "";
          if (typed) message += ' Your note was not saved either: "' + typed + '"';
        }
        render(err.data);
      }
      flash(message, true);
    } finally {
      deciding = false;
      setBusy(false);
    }
  }

  async function undo(t0) {
    if (busy) {
      if (deciding && !undoWaiting) {
        undoWaiting = true;
        flash("Undo: waiting for the decision to be saved first...");
      }
      return;
    }
    setBusy(true);
    try {
      const mine = saved.length ? saved[saved.length - 1] : null;
      const data = await call("POST", "/api/undo", mine ? { record_id: mine } : {});
      if (mine) saved.pop();
      render(data);
      // the withdrawn decision's note comes back with its record, for the decision made again
      // (one typed meanwhile is not overwritten)
      if (data.undone && data.note && !note.value.trim()) note.value = data.note;
      flash(data.message || (data.undone ? "Undone: record " + data.undone + " is back; decide it again." : "Nothing to undo."));
      if (data.record) shown(t0);
    } catch (err) {
      flash(err.message, true);
    } finally {
      setBusy(false);
    }
  }

  function schedulePoll() {
    if (pollTimer) return;
    pollTimer = setTimeout(async () => {
      pollTimer = null;
      try { render(await call("GET", "/api/next")); } catch (err) { flash(err.message, true); schedulePoll(); }
    }, 1000);
  }

  buttons.forEach((btn) => btn.addEventListener("click", (ev) => {
    if (btn.id === "undo") undo(ev.timeStamp || performance.now());
    else decide(btn.dataset.decision, ev.timeStamp || performance.now());
  }));

  document.addEventListener("keydown", (ev) => {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const t = ev.target;
    if (t && (t.tagName === "TEXTAREA" || t.tagName === "INPUT" || t.isContentEditable)) {
      if (ev.key === "Escape") t.blur();
      return;
    }
    // a key held down repeats: each repeat would decide the next record, one the reviewer never saw
    if (ev.repeat) { ev.preventDefault(); return; }
    const t0 = ev.timeStamp || performance.now();
    // a Cyrillic, Greek or Hebrew keyboard layout gives its own letter ('ш' for the key marked I):
    // then the key's place counts, so the shortcuts work without switching the layout
    let key = ev.key.toLowerCase();
    if (key.length === 1 && !/^[a-z]$/.test(key) && /^Key[A-Z]$/.test(ev.code || "")) {
      key = ev.code.slice(3).toLowerCase();
    }
    switch (key) {
      case "i": ev.preventDefault(); decide("include", t0); break;
      case "e": ev.preventDefault(); decide("exclude", t0); break;
      case "m": ev.preventDefault(); decide("maybe", t0); break;
      case "u": ev.preventDefault(); undo(t0); break;
      case "n": ev.preventDefault(); note.focus(); break;
      default: break;
    }
  });

  // periodic status while a ranking is being updated; the first record if it is not there yet
  setInterval(async () => {
    try {
      const st = await call("GET", "/api/status");
      renderStatus(st, null);
    } catch (err) { /* the next decision reports it */ }
  }, 3000);
  if (!card.dataset.recordId && $("state-done").hidden) schedulePoll();
})();
