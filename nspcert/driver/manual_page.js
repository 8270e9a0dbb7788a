// The manual run's page (nspcert.driver.manual_web): shows the open question, sends the answer, keeps drafts.
// Everything the harness sends is shown with textContent (never as HTML).
"use strict";

const $ = (id) => document.getElementById(id);
let shown = null;      // the question on the page: {id, key, kind, …}
let session = "";
let busy = false;      // an answer is on its way
let upload = null;     // the screenshot uploaded for the open question: {path, name, size}
let version = -1;      // the state the page shows; the harness answers the next request once it changes

function el(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === "text") node.textContent = v; else if (k.startsWith("data-")) node.setAttribute(k, v); else node[k] = v;
  }
  for (const child of children) node.appendChild(child);
  return node;
}

function draftKey() { return `nspcert:${session}:${shown ? shown.id : ""}`; }
function saveDraft(value) { try { localStorage.setItem(draftKey(), value); } catch (e) { /* private mode */ } }
function loadDraft() { try { return localStorage.getItem(draftKey()) || ""; } catch (e) { return ""; } }
function dropDraft() { try { localStorage.removeItem(draftKey()); } catch (e) { /* private mode */ } }

function status(text, kind = "hint") { const s = $("status"); s.textContent = text; s.className = kind; }

async function send(answer) {
  if (!shown || busy) return;
  busy = true;
  for (const b of document.querySelectorAll("#fields button")) b.disabled = true;
  status("Saving…");
  try {
    const response = await fetch("/api/answer", {method: "POST", headers: {"Content-Type": "application/json"},
                                                  body: JSON.stringify({id: shown.id, answer: answer})});
    const body = await response.json();
    if (response.ok) { dropDraft(); status(body.saved ? "Saved ✓" : "Sent; saving…", "saved"); }
    else { status(body.error || `refused (${response.status})`, "error"); busy = false; enable(); }
  } catch (e) {
    status("Could not reach the harness; your answer is kept here, try again.", "error"); busy = false; enable();
  }
}

function enable() { for (const b of document.querySelectorAll("#fields button")) b.disabled = false; }

function button(text, answer, primary = false) {
  const b = el("button", {text: text, type: "button", className: primary ? "primary" : "", "data-answer": answer});
  b.addEventListener("click", () => send(answer));
  return b;
}

function field(kind) {
  const multi = kind === "lines" || kind === "note";
  const input = multi ? el("textarea", {id: "answer"})
                      : el("input", {id: "answer", type: kind === "number" ? "number" : "text", autocomplete: "off"});
  if (kind === "number") input.min = "0";
  if (kind === "day") input.placeholder = "DD-MM-YYYY";
  input.value = loadDraft();
  input.addEventListener("input", () => saveDraft(input.value));
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (!multi || event.ctrlKey)) { event.preventDefault(); send(input.value); }
  });
  const submit = el("button", {id: "submit", text: "Answer", type: "button", className: "primary"});
  submit.addEventListener("click", () => send(input.value));
  const hint = multi ? (kind === "note" ? "Type it exactly as shown, line by line (Ctrl+Enter answers)."
                                        : "One item per line; leave it empty if there is none (Ctrl+Enter answers).")
                     : "Enter answers.";
  return [input, el("div", {className: "hint", text: hint}), submit];
}

async function sendFile(file) {
  if (!file) return;
  status(`Uploading ${file.name || "the image"}…`);
  const name = encodeURIComponent(file.name || "screenshot.png");
  const response = await fetch(`/api/upload?name=${name}`, {method: "POST", body: file});
  const body = await response.json();
  if (!response.ok) { status(body.error || "the upload was refused", "error"); return; }
  upload = body;
  $("preview").src = URL.createObjectURL(file);
  $("preview").style.display = "block";
  $("attach").disabled = false;
  status(`Ready to attach: ${body.name} (${body.size} bytes)`, "saved");
}

function fileField() {
  const drop = el("div", {id: "drop", text: "Drop the screenshot here, paste it (Ctrl+V), or choose a file."});
  const picker = el("input", {id: "file", type: "file", accept: "image/*,.pdf,.xml,.json,.txt"});
  picker.addEventListener("change", () => sendFile(picker.files[0]));
  drop.addEventListener("dragover", (event) => { event.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (event) => {
    event.preventDefault(); drop.classList.remove("over"); sendFile(event.dataTransfer.files[0]);
  });
  const attach = el("button", {id: "attach", text: "Attach and continue", type: "button", className: "primary"});
  attach.disabled = true;
  attach.addEventListener("click", () => { if (upload) send(upload.path); });
  const skip = el("button", {id: "skip", text: "No screenshot", type: "button"});
  skip.addEventListener("click", () => send(""));
  return [drop, picker, el("img", {id: "preview", alt: "the screenshot to attach"}), el("div", {}, [attach, skip])];
}

function fields(q) {
  switch (q.kind) {
    case "act": return [button("Done", "", true)];
    case "yes": return [button("Yes", "y", true), button("No", "n")];
    case "choice": return q.choices.map((c) => button(`${c.value} — ${c.label}`, c.value));
    case "file": return fileField();
    default: return field(q.kind);
  }
}

function showQuestion(q) {
  const section = $("question");
  if (!q) {
    if (shown) { shown = null; section.dataset.id = ""; $("fields").replaceChildren(); }
    $("prompt").textContent = "Waiting for the next question…";
    return;
  }
  if (shown && shown.id === q.id) return;
  shown = q; busy = false; upload = null;
  section.dataset.id = String(q.id); section.dataset.key = q.key; section.dataset.kind = q.kind;
  $("step").textContent = q.step;
  $("prompt").textContent = q.prompt;
  $("key").textContent = q.key;
  $("fields").replaceChildren(...fields(q));
  status("");
  const input = $("answer");
  if (input) input.focus();
}

function showProgress(p) {
  if (!p || !p.total) return;
  const tally = Object.entries(p.verdicts || {}).map(([v, n]) => `${n} ${v}`).join(" · ");
  $("counts").textContent = `${p.done} of ${p.total} scenarios done${tally ? " · " + tally : ""}`;
  $("bar").style.width = `${Math.round(100 * p.done / p.total)}%`;
  $("where").textContent = p.feature ? `${p.feature} › ${p.scenario}` : "";
}

function showList(id, items, render) {
  $(id).replaceChildren(...items.map(render));
}

async function poll() {
  let wait = 0;
  try {
    const response = await fetch(`/api/state?after=${version}`, {cache: "no-store"});
    if (!response.ok) throw new Error(String(response.status));
    const state = await response.json();
    version = state.version;
    $("lost").style.display = "none";
    session = state.session;
    showProgress(state.progress);
    showQuestion(state.question);
    showList("messages", state.messages.slice().reverse(),
             (m) => el("div", {className: m.kind, text: `${m.at}  ${m.text}`}));
    showList("answered", state.answered, (a) => el("div", {text: `${a.key}: ${a.answer || "(empty)"}`}));
    if (state.finished) { $("finished").style.display = "block"; }
  } catch (e) {
    $("lost").style.display = "block";
    wait = 1000;
  }
  setTimeout(poll, wait);
}

document.addEventListener("paste", (event) => {
  if (!shown || shown.kind !== "file") return;
  const file = Array.from(event.clipboardData.files || [])[0];
  if (file) { event.preventDefault(); sendFile(file); }
});
document.addEventListener("DOMContentLoaded", poll);
