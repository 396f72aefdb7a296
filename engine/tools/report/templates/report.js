/* The readings switch. It reads the data embedded in #mou-data, shows the embedded reading that the
   controls select (or the answers alone for another combination) and marks what changed. It writes
   only text (textContent), never markup, and fetches nothing. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("mou-data").textContent);
  var selects = Array.prototype.slice.call(document.querySelectorAll("select[data-choice]"));
  var panels = Array.prototype.slice.call(document.querySelectorAll("section.reading"));
  var pictures = Array.prototype.slice.call(document.querySelectorAll("figure.picture"));
  var status = document.getElementById("reading-status");
  var written = {};
  data.choices.forEach(function (c) { written[c.name] = c.written; });

  function valueOf(name) {
    for (var i = 0; i < selects.length; i++) {
      if (selects[i].getAttribute("data-choice") === name) { return selects[i].value; }
    }
    return written[name];
  }
  function keyOf(names) {
    return names.map(function (name) { return name + "=" + valueOf(name); }).join("&");
  }
  function flippedNames() {
    return data.choices.filter(function (c) { return valueOf(c.name) !== c.written; })
      .map(function (c) { return c.name + " = " + label(c.name); });
  }
  function label(name) {
    for (var i = 0; i < selects.length; i++) {
      if (selects[i].getAttribute("data-choice") === name) {
        var option = selects[i].options[selects[i].selectedIndex];
        return option ? option.text.split(":")[0] : valueOf(name);
      }
    }
    return "";
  }
  function fillOther() {
    var body = document.querySelector("#other-table tbody");
    var missing = document.getElementById("other-missing");
    var openChanged = data.choices.some(function (c) {
      return data.tableNames.indexOf(c.name) < 0 && valueOf(c.name) !== c.written;
    });
    var rows = openChanged ? null : data.table[keyOf(data.tableNames)];
    while (body.firstChild) { body.removeChild(body.firstChild); }
    missing.hidden = !!rows;
    document.getElementById("other-table").hidden = !rows;
    document.getElementById("other-label").textContent = flippedNames().join(", ");
    if (!rows) { return; }
    data.questions.forEach(function (question, i) {
      var row = document.createElement("tr");
      var changed = rows[i] !== data.written[i];
      row.className = changed ? "changed" : "";
      row.setAttribute("data-changed", changed ? "true" : "false");
      [question, rows[i] + (changed ? "  (changed)" : ""), data.written[i]].forEach(function (text) {
        var cell = document.createElement("td");
        cell.textContent = text;
        row.appendChild(cell);
      });
      body.appendChild(row);
    });
  }
  function show() {
    var id = data.panels[keyOf(data.choices.map(function (c) { return c.name; }))] || "reading-other";
    var panel = document.getElementById(id);
    panels.forEach(function (p) { p.hidden = p !== panel; });
    var picture = panel.getAttribute("data-picture");
    pictures.forEach(function (f) { f.hidden = f.getAttribute("data-picture") !== picture; });
    document.getElementById("no-picture").hidden = picture !== null;
    selects.forEach(function (s) { s.classList.toggle("flipped", s.value !== written[s.getAttribute("data-choice")]); });
    if (id === "reading-other") { fillOther(); }
    var flipped = flippedNames();
    var changed = panel.querySelectorAll('[data-changed="true"]').length;
    status.textContent = flipped.length ? "Shown: " + flipped.join(", ") + " (other choices as written): " +
      changed + (changed === 1 ? " answer differs" : " answers differ") + " from the reading as written."
      : "Shown: the reading as written.";
    status.classList.toggle("flipped", flipped.length > 0);
  }
  function fromHash() {
    var hash = window.location.hash.replace(/^#/, "");
    if (!hash) { return; }
    hash.split("&").forEach(function (part) {
      var at = part.indexOf("=");
      if (at < 0) { return; }
      var name = decodeURIComponent(part.slice(0, at)), value = decodeURIComponent(part.slice(at + 1));
      selects.forEach(function (s) {
        if (s.getAttribute("data-choice") !== name) { return; }
        for (var i = 0; i < s.options.length; i++) {
          if (s.options[i].value === value || s.options[i].text.split(":")[0] === value) { s.selectedIndex = i; }
        }
      });
    });
  }
  selects.forEach(function (s) { s.addEventListener("change", show); });
  document.getElementById("reset").addEventListener("click", function () {
    selects.forEach(function (s) { s.value = written[s.getAttribute("data-choice")]; });
    show();
  });
  window.addEventListener("hashchange", function () { fromHash(); show(); });
  // On paper there is no hover: the timeline's caption in words is printed open.
  var closed = [];
  window.addEventListener("beforeprint", function () {
    closed = Array.prototype.slice.call(document.querySelectorAll("details.words:not([open])"));
    closed.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () { closed.forEach(function (d) { d.open = false; }); });
  fromHash();
  show();
}());
