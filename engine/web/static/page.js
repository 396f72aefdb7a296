// The page of `mou serve`, in plain JavaScript: no framework, nothing fetched but this server's /v1 API.
// The scenario is one object (`model`), shown two ways: the form (events, fields from /v1/reference) and
// its YAML beside it. Editing either updates the other; the YAML is checked by /v1/validate as it is typed.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  let ref = null;                       // GET /v1/reference
  let model = { scenario: "A new scenario", events: [], questions: [] };
  let readings = { interpretation: {}, parameters: {} };
  let baseline = null;                  // the last answer under the scenario's own readings, to mark changes
  let validateTimer = null;
  let validations = 0;       // only the latest check's answer is shown: an earlier one may come back later

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (key === "class") node.className = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else if (value !== undefined && value !== null && value !== false) node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children.flat()) if (child !== null && child !== undefined) node.append(child);
    return node;
  }
  // A field's name in words; "igos" (intergovernmental organizations) is said as the text says it.
  const words = (name) => name.replace(/_/g, " ").replace(/\bigos\b/g, "IGOs");
  const capital = (text) => text.charAt(0).toUpperCase() + text.slice(1);

  async function api(path, body) {
    const response = await fetch(path, body === undefined ? {} : {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const type = response.headers.get("content-type") || "";
    const data = type.includes("json") ? await response.json() : await response.text();
    return { status: response.status, data };
  }

  // ---- YAML, written from the model (the subset scenario files use) ----
  const PLAIN = /^[A-Za-z_][A-Za-z0-9_ .\-\/()']*$/;
  const RESERVED = /^(true|false|yes|no|on|off|null|y|n|~)$/i;
  function scalar(value) {
    if (value === null || value === undefined) return "null";
    if (typeof value === "boolean" || typeof value === "number") return String(value);
    const text = String(value);
    if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return text;
    if (PLAIN.test(text) && !RESERVED.test(text) && !/[:#]\s|\s$/.test(text)) return text;
    return JSON.stringify(text);
  }
  function yamlOf(value, indent) {
    const pad = " ".repeat(indent);
    if (Array.isArray(value)) {
      if (!value.length) return " []";
      if (value.every((item) => typeof item !== "object" || item === null)) return " [" + value.map(scalar).join(", ") + "]";
      return value.map((item) => "\n" + pad + "-" + yamlOf(item, indent + 2).replace(/^\n\s*/, " ")).join("");
    }
    if (value && typeof value === "object") {
      const keys = Object.keys(value);
      if (!keys.length) return " {}";
      return keys.map((key) => "\n" + pad + scalar(key) + ":" + yamlOf(value[key], indent + 2)).join("");
    }
    return " " + scalar(value);
  }
  function toYaml(doc) { return yamlOf(doc, 0).replace(/^\n/, "") + "\n"; }

  // ---- the form ----
  function eventLabel(type) {
    const def = ref.events[type];
    return def ? capital(def.says) + " (" + def.paragraph + ")" : type;
  }
  function nextId(type) {
    // A short id an officer reads back in questions and answers: the first word of how the clause files say
    // the event type that is also a word of its name ("a notice of termination": notice1; "the acceptance of
    // a proposed amendment": acceptance1), else the name's first word. Nothing here knows an agreement.
    const words = type.split("_");
    const said = ((ref.events[type] || {}).says || "").toLowerCase().split(/[^a-z]+/);
    const stem = said.find((word) => words.includes(word)) || words[0];
    let n = 1;
    while (model.events.some((e) => e.id === stem + n)) n += 1;
    return stem + n;
  }
  function fieldInput(event, name, def) {
    const kind = def.type.kind;
    const value = event[name];
    const set = (v) => { if (v === "" || v === undefined) delete event[name]; else event[name] = v; changed(); };
    const id = "f-" + event.id + "-" + name;
    let input;
    if (kind === "actor" || kind === "enum" || kind === "bool" || kind === "event") {
      let options = [];
      if (kind === "actor") options = ref.parties.map((p) => [p, p]);
      if (kind === "enum") options = def.type.values.map((v, i) => [v, (def.type.words || [])[i] || words(String(v))]);
      if (kind === "bool") options = [[true, "yes"], [false, "no"]];
      if (kind === "event") options = model.events.filter((e) => e !== event && (def.type.events || []).includes(e.type))
        .map((e) => [e.id, e.id + " (" + words(e.type) + ", " + (e.date || "no date") + ")"]);
      input = el("select", { id, onchange: (ev) => {
        const raw = ev.target.value;
        set(raw === "" ? "" : kind === "bool" ? raw === "true" : raw);
      } }, el("option", { value: "" }, def.required ? "choose…" : "not stated"),
        options.map(([v, label]) => el("option", { value: String(v), selected: value !== undefined && String(value) === String(v) }, label)));
    } else if (kind === "date") {
      input = el("input", { id, type: "date", value: value || "", onchange: (ev) => set(ev.target.value) });
    } else if (kind === "int") {
      input = el("input", { id, type: "number", value: value ?? "", onchange: (ev) => set(ev.target.value === "" ? "" : Number(ev.target.value)) });
    } else if (kind === "list" && def.type.item && ref.areas && Object.keys(ref.areas).length
               && (def.typos_of === "area" || /area/.test(def.type.item.text))) {
      // The areas of V.1 in words, to tick; anything else as free text beside them (kept in the same list).
      const areas = Object.keys(ref.areas);
      const given = Array.isArray(value) ? value.map(String) : [];
      const chosen = new Set(given.filter((item) => areas.includes(item)));
      const other = given.filter((item) => !areas.includes(item));
      const update = () => set(chosen.size || other.length ? [...areas.filter((a) => chosen.has(a)), ...other] : "");
      return el("div", { class: "field areas" }, el("span", { class: "label" }, el("strong", {}, capital(words(name)))),
        el("span", { class: "says" }, "the areas of cooperation of V.1 discussed: tick those that apply"),
        areas.map((area) => el("label", { class: "area" },
          el("input", { type: "checkbox", id: id + "-" + area, value: area, checked: chosen.has(area), onchange: (ev) => {
            if (ev.target.checked) chosen.add(area); else chosen.delete(area);
            update(); } }), " " + ref.areas[area])),
        def.type.item.kind === "text" ? el("label", { class: "area", for: id + "-other" }, "Other topics, in words (separated by commas): ",
          el("input", { id: id + "-other", type: "text", value: other.join(", "), onchange: (ev) => {
            other.splice(0, other.length, ...ev.target.value.split(",").map((t) => t.trim()).filter(Boolean));
            update(); } })) : null);
    } else if (kind === "changes") {
      // What an amendment changes: a new value for each parameter of the MoU it changes, in words ("3 months").
      const given = value && typeof value === "object" && !Array.isArray(value) ? { ...value } : {};
      return el("div", { class: "field areas" }, el("span", { class: "label" }, el("strong", {}, capital(words(name)))),
        el("span", { class: "says" }, (def.says || "") + ": fill only what the amendment changes"),
        Object.entries(ref.parameters).map(([parameter, about]) => el("label", { class: "area", for: id + "-" + parameter },
          capital(about.says) + " (" + about.paragraph + "; as signed: " + about.default + "): ",
          el("input", { id: id + "-" + parameter, type: "text", value: given[parameter] ?? "",
            placeholder: about.type === "duration" ? "e.g. 3 months" : "", onchange: (ev) => {
              const text = ev.target.value.trim();
              if (text) given[parameter] = text; else delete given[parameter];
              set(Object.keys(given).length ? { ...given } : ""); } }))));
    } else if (kind === "list" && def.type.item && def.type.item.kind === "actor") {
      // Parties to tick; a name that is not a party (typed in the YAML) is kept.
      const given = Array.isArray(value) ? value.map(String) : [];
      const chosen = new Set(given.filter((item) => ref.parties.includes(item)));
      const other = given.filter((item) => !ref.parties.includes(item));
      return el("div", { class: "field" }, el("span", { class: "label" }, el("strong", {}, capital(words(name)))),
        el("span", { class: "says" }, (def.says || "") + (def.required ? "" : " (leave all unticked if not stated)")),
        el("span", { class: "parties" }, ref.parties.map((party) => el("label", { class: "party" },
          el("input", { type: "checkbox", id: id + "-" + party, value: party, checked: chosen.has(party), onchange: (ev) => {
            if (ev.target.checked) chosen.add(party); else chosen.delete(party);
            set(chosen.size || other.length ? [...ref.parties.filter((p) => chosen.has(p)), ...other] : ""); } }),
          " " + party))));
    } else {
      input = el("input", { id, type: "text", value: Array.isArray(value) ? value.join(", ") : (value ?? ""),
        placeholder: kind === "duration" ? "e.g. 6 months" : kind === "list" ? "separated by commas" : "",
        onchange: (ev) => set(kind === "list" ? ev.target.value.split(",").map((s) => s.trim()).filter(Boolean) : ev.target.value) });
    }
    const extra = def.required ? " (required)" : def.default_from ? " (if not given: its " + def.default_from + ")" : "";
    return el("div", { class: "field" }, el("label", { for: id }, capital(words(name)) + extra),
      el("span", { class: "says" }, def.says || ""), input);
  }
  function renderEvents() {
    const list = $("events");
    list.replaceChildren();
    if (!model.events.length) list.append(el("li", { class: "empty" }, "No events yet: add what happened, e.g. a notice of termination."));
    for (const event of model.events) {
      const def = ref.events[event.type];
      const head = el("div", { class: "event-head" }, el("strong", {}, def ? capital(def.says) : event.type),
        el("span", { class: "small" }, event.id + (def ? " · paragraph " + def.paragraph : "")),
        el("button", { type: "button", class: "remove", onclick: () => { model.events.splice(model.events.indexOf(event), 1); changed(); rerender(); } }, "Remove"));
      const dateId = "f-" + event.id + "-date";
      const fields = el("div", { class: "fields" },
        el("div", { class: "field" }, el("label", { for: dateId }, "Date (required)"),
          el("span", { class: "says" }, "the day it happened"),
          el("input", { id: dateId, type: "date", value: event.date || "", onchange: (ev) => { event.date = ev.target.value; changed(); } })),
        def ? Object.entries(def.fields).map(([name, field]) => fieldInput(event, name, field)) : el("p", { class: "small" }, "unknown event type"));
      list.append(el("li", { "data-id": event.id }, head, fields));
    }
  }
  function renderQuestionArgs() {
    const name = $("question").value;
    const def = ref.questions[name];
    const box = $("args");
    box.replaceChildren();
    if (!def) return;
    for (const arg of def.args) {
      const id = "arg-" + arg.name;
      let input;
      if (arg.type.kind === "date") input = el("input", { id, type: "date" });
      else if (arg.type.kind === "event") input = el("select", { id }, model.events.filter((e) => (arg.type.events || []).includes(e.type))
        .map((e) => el("option", { value: e.id }, e.id + " (" + words(e.type) + ", " + (e.date || "") + ")")));
      else if (arg.type.kind === "enum") input = el("select", { id }, el("option", { value: "" }, ""), arg.type.values.map((v) => el("option", { value: v }, words(String(v)))));
      else input = el("input", { id, type: "text" });
      const label = arg.type.kind === "date" ? "On the date" : capital(arg.says || words(arg.name));
      box.append(el("div", { class: "field" }, el("label", { for: id }, label + (arg.optional ? "" : " (required)")), input));
    }
  }
  function rerender() { renderEvents(); renderQuestionArgs(); }

  // ---- the YAML beside it ----
  function showYaml() {
    const text = toYaml(model);
    $("yaml").value = text;
    gutter([]);
    problems([]);
  }
  function gutter(bad) {
    const lines = $("yaml").value.split("\n").length;
    const marked = new Set(bad);
    $("gutter").replaceChildren(...Array.from({ length: lines }, (_, i) =>
      marked.has(i + 1) ? el("span", { class: "bad" }, String(i + 1) + "\n") : document.createTextNode(String(i + 1) + "\n")));
  }
  function problems(diagnostics, ok) {
    const list = $("problems");
    list.replaceChildren();
    if (ok) list.append(el("li", { class: "ok" }, "✓ The scenario reads well."));
    for (const d of diagnostics) {
      list.append(el("li", { onclick: () => goToLine(d.line) }, (d.line ? "Line " + d.line + ", column " + d.column + ": " : "") + d.message));
    }
    gutter(diagnostics.map((d) => d.line));
  }
  function goToLine(line) {
    const area = $("yaml");
    const lines = area.value.split("\n");
    const start = lines.slice(0, Math.max(0, line - 1)).reduce((n, l) => n + l.length + 1, 0);
    area.focus();
    area.setSelectionRange(start, start + (lines[line - 1] || "").length);
  }
  function changed() {       // the form changed: the YAML follows, and the last answer is stale
    model.scenario = $("title").value || "A scenario";
    showYaml();
    baseline = null;
  }
  async function validateYaml() {
    const asked = ++validations;
    const { status, data } = await api("/v1/validate", { scenario: $("yaml").value });
    if (asked !== validations) return;
    if (status === 200) {
      model = data.document;
      if (!Array.isArray(model.events)) model.events = [];
      if (!Array.isArray(model.questions)) model.questions = [];
      $("title").value = model.scenario || "";
      rerender();
      problems([], true);
    } else {
      problems(data.diagnostics || [{ line: 0, message: "the server could not read it (" + status + ")" }]);
    }
    baseline = null;
  }

  // ---- the answer, first; then its explanation as the engine gives it ----
  function valueWords(value) {
    if (value === true) return "Yes";
    if (value === false) return "No";
    if (value === null) return "None";
    if (value === "unknown") return "Unknown";
    return Array.isArray(value) ? (value.length ? value.join(", ") : "none") : words(String(value));
  }
  function reasonList(reasons) {
    return el("ul", { class: "reasons" }, reasons.map((r) => el("li", { class: "reason" + (r.holds === true ? " holds" : r.holds === false ? " fails" : "") },
      el("span", { class: "mark", "aria-hidden": "true" }, r.holds === true ? "✓ " : r.holds === false ? "✗ " : "• "),
      (r.sentence || r.says) + (r.paragraph ? " (" + r.paragraph + ")" : ""),
      (r.facts || []).length ? el("span", { class: "small" }, ": " + r.facts.map((f) => f.says).join("; ")) : null,
      (r.because || []).length ? el("details", {}, el("summary", { class: "small" }, "because"), reasonList(r.because)) : null)));
  }
  function section(title, cls, items) {
    return items && items.length ? el("section", { class: cls }, el("h5", {}, title), items) : null;
  }
  function showAnswer(data, changedFrom) {
    const e = data.explanation || {};
    const box = $("answer");
    box.replaceChildren(...[el("article", { class: "answer answer-first" + (changedFrom !== undefined ? " changed" : ""), "data-answer": JSON.stringify(data.answer) },
      el("p", { class: "asks" }, e.asks || data.ask),
      el("p", { class: "verdict" }, el("span", { class: "value", id: "verdict" }, valueWords(data.answer)),
        changedFrom !== undefined ? el("span", { class: "changed-badge" }, " changed: under the scenario's own readings, " + valueWords(changedFrom)) : null),
      e.summary ? el("p", { class: "summary" }, capital(e.summary.replace(/\.$/, "")) + ".") : null),
      section("Why", "why", e.reasons && e.reasons.length ? [reasonList(e.reasons)] : []),
      section("What was assumed", "assumed", (e.assumed || []).map((a) => el("p", {}, a.says || JSON.stringify(a)))),
      section("What is established", "established", (e.established || []).map((a) => el("p", {}, a.says || JSON.stringify(a)))),
      section("Facts not given that decide it", "missing", (e.missing || []).map((a) => el("p", {}, a.says || JSON.stringify(a)))),
      section("What would change the answer", "flips", (e.counterfactuals || []).length ? [el("ul", {}, e.counterfactuals.map((c) =>
        el("li", {}, capital(c.if || "") + ": " + (c.then || c.says))))] : []),
      section("Interpretive choices that matter", "choices", (e.choices || []).filter((c) => c.matters).map((c) =>
        el("p", {}, words(c.name) + ": " + c.value + " (" + c.source + ")"))),
      section("The text as in force", "text", (e.paragraphs || []).map((p) => el("blockquote", {}, el("strong", {}, p.id + " "), p.text))),
      ...(e.notes || []).map((n) => el("p", { class: "note" }, el("em", {}, "Note: "), n))].filter(Boolean));
  }
  function body(extra) {
    return Object.assign({ scenario: $("yaml").value }, extra || {});
  }
  function askBody(withReadings) {
    const name = $("question").value;
    const args = {};
    for (const arg of (ref.questions[name] || { args: [] }).args) {
      const value = ($("arg-" + arg.name) || {}).value;
      if (value) args[arg.name] = value;
    }
    const extra = { ask: name, args };
    if (withReadings) Object.assign(extra, readings);
    return body(extra);
  }
  async function ask() {
    const box = $("answer");
    box.classList.add("busy");
    try {
      const flipped = Object.keys(readings.interpretation).length + Object.keys(readings.parameters).length > 0;
      if (flipped && baseline === null) {
        const own = await api("/v1/ask", askBody(false));
        if (own.status === 200) baseline = own.data.answer;
      }
      const { status, data } = await api("/v1/ask", askBody(true));
      if (status !== 200) {
        box.replaceChildren(el("div", { class: "problems" }, el("p", {}, status === 422 ? "The question cannot be answered yet:" : "The server could not answer (" + status + "):"),
          el("ul", { class: "problems" }, (data.diagnostics || []).map((d) => el("li", {}, (d.line ? "Line " + d.line + ": " : "") + d.message)))));
        if (data.diagnostics) problems(data.diagnostics.filter((d) => d.file === "<request>" && d.line));
        return;
      }
      if (!flipped) baseline = data.answer;
      const changedFrom = flipped && baseline !== null && JSON.stringify(baseline) !== JSON.stringify(data.answer) ? baseline : undefined;
      showAnswer(data, changedFrom);
    } finally {
      box.classList.remove("busy");
      // the answer appears below the button, often below the screen's edge: bring it into view
      if (box.scrollIntoView) box.scrollIntoView({ block: "start", behavior: "smooth" });
    }
  }

  // ---- readings: interpretive choices and parameters, in words ----
  function renderReadings() {
    const box = $("readings");
    box.replaceChildren();
    for (const [name, choice] of Object.entries(ref.choices)) {
      const id = "choice-" + name;
      const select = el("select", { id, name, onchange: (ev) => {
        if (ev.target.value === "") delete readings.interpretation[name];
        else readings.interpretation[name] = ev.target.value === "true" ? true : ev.target.value === "false" ? false : ev.target.value;
        ev.target.classList.toggle("flipped", ev.target.value !== "");
        ask();
      } }, el("option", { value: "" }, "as the scenario says (default: " + (choice.default === null ? "none" : (choice.means[String(choice.default)] || choice.default)) + ")"),
        choice.values.map((v) => el("option", { value: String(v) }, choice.means[String(v)] || String(v))));
      box.append(el("div", { class: "control" }, el("label", { for: id }, capital(words(name)) + " (" + choice.paragraph + ")"), select,
        el("p", { class: "source small" }, "Authority: " + choice.authority)));
    }
    for (const [name, parameter] of Object.entries(ref.parameters)) {
      const id = "param-" + name.replace(/\./g, "-");
      box.append(el("div", { class: "control" }, el("label", { for: id }, capital(parameter.says) + " (" + parameter.paragraph + ")"),
        el("input", { id, placeholder: "as signed: " + parameter.default, onchange: (ev) => {
          if (ev.target.value === "") delete readings.parameters[name]; else readings.parameters[name] = ev.target.value;
          ev.target.classList.toggle("flipped", ev.target.value !== "");
          ask();
        } }), el("p", { class: "source small" }, parameter.text)));
    }
  }

  function download(name, type, content) {
    const link = el("a", { href: URL.createObjectURL(new Blob([content], { type })), download: name });
    document.body.append(link);
    link.click();
    link.remove();
  }

  async function start() {
    ref = (await api("/v1/reference")).data;
    // the agreement the server was started on (`--clauses`), named by its parties and its short name
    const named = (ref.parties || []).join("–") + " " + (ref.title || "agreement");
    document.title = "mou — ask about the " + named;
    const heading = document.querySelector("h1");
    if (heading) heading.textContent = "Ask about the " + named;
    for (const [type, def] of Object.entries(ref.events)) $("add-type").append(el("option", { value: type }, eventLabel(type)));
    for (const [name, def] of Object.entries(ref.questions)) {
      const inverted = /^whether (.+?) (is|are|was|were|has|have|had|can|may|must|does|did) (.+)$/.exec(def.says);
      const said = inverted ? capital(inverted[2]) + " " + inverted[1] + " " + inverted[3] + "?" : capital(def.says);
      $("question").append(el("option", { value: name, selected: name === "in_force" }, said));
    }
    const listing = (await api("/v1/scenarios")).data.scenarios || [];
    for (const item of listing) $("open").append(el("option", { value: item.name }, item.title));
    $("open").addEventListener("change", async (ev) => {
      if (!ev.target.value) { model = { scenario: "A new scenario", events: [], questions: [] }; $("title").value = model.scenario; rerender(); showYaml(); return; }
      const { data } = await api("/v1/scenarios/" + encodeURIComponent(ev.target.value));
      $("yaml").value = data.scenario;
      await validateYaml();
    });
    // Picking what happened adds it at once (a first-time user need not find the button too).
    const addEvent = () => {
      const type = $("add-type").value;
      if (!type) { $("add-type").focus(); return; }
      $("add-type").value = "";
      const event = { id: nextId(type), type };
      model.events.push(event);
      changed();
      rerender();
      const first = document.querySelector('li[data-id="' + event.id + '"] input, li[data-id="' + event.id + '"] select');
      if (first) first.focus();
    };
    $("add-type").addEventListener("change", addEvent);
    $("add").addEventListener("click", addEvent);
    $("title").addEventListener("change", changed);
    $("question").addEventListener("change", renderQuestionArgs);
    $("ask").addEventListener("click", ask);
    $("yaml").addEventListener("input", () => { gutter([]); clearTimeout(validateTimer); validateTimer = setTimeout(validateYaml, 400); });
    $("download-yaml").addEventListener("click", () => download("scenario.yaml", "text/yaml", $("yaml").value));
    $("download-report").addEventListener("click", async () => {
      const { status, data } = await api("/v1/report", body(readings));
      if (status === 200) download("report.html", "text/html", data);
      else problems(data.diagnostics || []);
    });
    renderReadings();
    rerender();
    showYaml();
    document.documentElement.dataset.ready = "true";   // the form is drawn: what is typed now is not overwritten
  }
  start();
})();
