// The page to ask from: calls GET ask and GET section on the same server and draws the answer.
// Report text only ever goes into the page through textContent and text nodes, never as HTML.
"use strict";

const $ = (id) => document.getElementById(id);
let latest = 0; // answers to older questions that arrive late are dropped

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === "text") node.textContent = value;
    else if (key === "className") node.className = value;
    else node.setAttribute(key, value);
  }
  node.append(...children);
  return node;
}

function formatValue(value) {
  return Number.isInteger(value)
    ? value.toLocaleString("en-GB")
    : value.toLocaleString("en-GB", { maximumFractionDigits: 2 });
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

// The numbers to mark in a citation: the answer's value and the values of the facts it cites there,
// as printed plainly (1444) and with thousands separators (1,444).
function valuesFor(answer, citation) {
  const values = new Set();
  if (answer.value !== null) values.add(answer.value);
  for (const fact of answer.facts) {
    const inside = fact.doc === citation.doc && fact.lines[0] >= citation.lines[0] && fact.lines[1] <= citation.lines[1];
    if (inside && fact.value !== null) values.add(fact.value);
  }
  const forms = new Set();
  for (const value of values) {
    forms.add(String(value));
    forms.add(formatValue(value));
  }
  return [...forms].sort((a, b) => b.length - a.length);
}

// A fragment of `text` with every whole-number occurrence of one of `forms` wrapped in <mark>.
function highlighted(text, forms) {
  const fragment = document.createDocumentFragment();
  if (!forms.length) {
    fragment.append(text);
    return fragment;
  }
  const pattern = new RegExp(`(?<![\\d.,])(?:${forms.map(escapeRegExp).join("|")})(?![\\d]|[.,]\\d)`, "g");
  let at = 0;
  for (const match of text.matchAll(pattern)) {
    fragment.append(text.slice(at, match.index), el("mark", { text: match[0] }));
    at = match.index + match[0].length;
  }
  fragment.append(text.slice(at));
  return fragment;
}

// Source lines, numbered as in the report file.
function numberedLines(text, start, forms) {
  const list = el("ol", { className: "lines", start: String(start) });
  for (const line of text.split("\n")) list.append(el("li", {}, highlighted(line, forms)));
  return list;
}

function sectionLink(citation, forms) {
  const params = new URLSearchParams({ doc: citation.doc, lines: `${citation.lines[0]}-${citation.lines[1]}` });
  const link = el("a", { href: `section?${params}`, className: "more", "aria-expanded": "false", text: "Full section" });
  const panel = el("div", { className: "section", hidden: "" });
  link.addEventListener("click", async (event) => {
    event.preventDefault();
    const open = link.getAttribute("aria-expanded") === "true";
    link.setAttribute("aria-expanded", String(!open));
    link.textContent = open ? "Full section" : "Hide full section";
    panel.hidden = open;
    if (open || panel.childElementCount) return;
    panel.append(el("p", { className: "loading", text: "Loading…" }));
    try {
      const response = await fetch(link.href, { headers: { Accept: "application/json" } });
      const data = await response.json();
      if (!response.ok) throw new Error(data.error || response.statusText);
      panel.replaceChildren(el("h4", { text: `${data.section} (lines ${data.lines[0]}–${data.lines[1]})` }));
      for (const passage of data.passages) panel.append(numberedLines(passage.text, passage.lines[0], forms));
    } catch (error) {
      panel.replaceChildren(el("p", { className: "error", text: `Could not load the section: ${error.message}` }));
    }
  });
  return [link, panel];
}

function citationItem(answer, citation) {
  const forms = valuesFor(answer, citation);
  const where = [citation.area, citation.period].filter(Boolean).join(" · ");
  const [link, panel] = sectionLink(citation, forms);
  return el(
    "li",
    { className: "citation" },
    el("h3", { text: citation.title }),
    el("p", { className: "meta" },
      el("span", { text: where }), " ",
      el("span", { className: "section-name", text: citation.section }), " ",
      el("span", { text: `lines ${citation.lines[0]}–${citation.lines[1]}` }), " ",
      citation.pages ? el("span", { text: citation.pages[0] === citation.pages[1]
        ? `page ${citation.pages[0]}` : `pages ${citation.pages[0]}–${citation.pages[1]}` }) : "", " ",
      el("code", { className: "doc", text: citation.doc })),
    numberedLines(citation.text, citation.lines[0], forms),
    link,
    panel,
  );
}

// An answer comparing areas or years (several figures of one measure) gets its chart, drawn by the server
// from the same answer (GET chart): one bar per cited figure.
function showChart(answer, question) {
  const box = $("chart-box");
  const facts = answer.facts.filter((fact) => fact.value !== null);
  const reports = new Set(facts.map((fact) => `${fact.area}|${fact.period}`));
  const measures = new Set(facts.map((fact) => fact.measure));
  if (answer.status !== "answered" || answer.kind !== "aggregate" || reports.size < 2 || measures.size !== 1) {
    box.hidden = true;
    $("chart").removeAttribute("src");
    return;
  }
  const image = $("chart");
  const points = [...facts].sort((a, b) => `${a.area} ${a.period}`.localeCompare(`${b.area} ${b.period}`));
  image.alt = "Bar chart: " + points.map((fact) => `${fact.area} ${fact.period}: ${formatValue(fact.value)}`).join("; ");
  image.onerror = () => { box.hidden = true; };
  image.src = `chart?${new URLSearchParams({ q: question, format: "svg" })}`;
  box.hidden = false;
}

function showAnswer(answer) {
  const result = $("result");
  result.className = answer.status === "answered" ? "answered" : "not-found";
  $("value").hidden = answer.value === null;
  $("value").textContent = answer.value === null ? "" : formatValue(answer.value);
  $("answer").textContent = answer.answer;
  $("note").hidden = !answer.note;
  $("note").textContent = answer.note || "";
  $("sources-heading").hidden = !answer.citations.length;
  $("citations").replaceChildren(...answer.citations.map((citation) => citationItem(answer, citation)));
  result.hidden = false;
}

function showError(message) {
  const result = $("result");
  $("chart-box").hidden = true;
  result.className = "error";
  $("value").hidden = true;
  $("answer").textContent = message;
  $("note").hidden = true;
  $("sources-heading").hidden = true;
  $("citations").replaceChildren();
  result.hidden = false;
}

async function ask(question) {
  const mine = ++latest;
  const button = $("ask").querySelector("button");
  button.disabled = true;
  $("result").setAttribute("aria-busy", "true");
  try {
    const response = await fetch(`ask?${new URLSearchParams({ q: question })}`);
    const data = await response.json();
    if (mine !== latest) return;
    if (response.ok) {
      showAnswer(data);
      showChart(data, question);
    }
    else showError(data.error || `The server answered ${response.status}.`);
  } catch (error) {
    if (mine === latest) showError(`Could not reach the server: ${error.message}`);
  } finally {
    if (mine === latest) {
      button.disabled = false;
      $("result").removeAttribute("aria-busy");
    }
  }
}

document.addEventListener("DOMContentLoaded", () => {
  const input = $("question");
  $("ask").addEventListener("submit", (event) => {
    event.preventDefault();
    const question = input.value.trim();
    if (!question) return;
    history.replaceState(null, "", `?${new URLSearchParams({ q: question })}`);
    ask(question);
  });
  const question = new URLSearchParams(location.search).get("q");
  if (question) {
    input.value = question;
    ask(question);
  }
  input.focus();
});
