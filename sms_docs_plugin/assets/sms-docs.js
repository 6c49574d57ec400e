// Print: the uncontrolled-copy line (id, version, print date) in the top margin of every
// printed page. The page's own line (.sms-print-header) gives the text; a CSS page-margin box
// repeats it outside the page area, so it never covers text. The date is the day the page is
// printed, not the day it was built.
(function () {
  function cssString(text) {
    return '"' + text.replace(/[\\"]/g, "\\$&").replace(/[\n\r\f]/g, " ").replace(/</g, "\\3c ") + '"';
  }
  function stamp() {
    var today = new Date().toISOString().slice(0, 10);
    document.querySelectorAll(".sms-print-date").forEach(function (el) { el.textContent = today; });
    var header = document.querySelector(".sms-print-header");
    if (!header) return;
    var style = document.getElementById("sms-print-page");
    if (!style) {
      style = document.createElement("style");
      style.id = "sms-print-page";
      document.head.appendChild(style);
    }
    var label = header.textContent.replace(/\s+/g, " ").trim();
    style.textContent =
      "@page { margin: 16mm 12mm 14mm;" +
      " @top-left { content: " + cssString(label) + "; font: 8pt sans-serif; vertical-align: bottom; padding-bottom: 2mm; }" +
      ' @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 8pt sans-serif; } }';
    document.documentElement.classList.add("sms-paged");
  }
  window.addEventListener("beforeprint", stamp);
  if (window.matchMedia) {
    window.matchMedia("print").addEventListener("change", function (event) { if (event.matches) stamp(); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", stamp); else stamp();
})();

// Register: filter rows by text and by column; sort with the buttons in the column headings
// (buttons, so Enter, Space and screen readers work; the heading carries aria-sort).
(function () {
  function rowsOf(table) { return Array.prototype.slice.call(table.tBodies[0].rows); }
  function apply(tableId) {
    var table = document.getElementById(tableId);
    if (!table) return;
    var box = document.querySelector('[data-sms-filter="' + tableId + '"]');
    var text = box ? box.value.trim().toLowerCase() : "";
    var selects = document.querySelectorAll('[data-sms-column-filter="' + tableId + '"]');
    var shown = 0;
    rowsOf(table).forEach(function (row) {
      var ok = !text || row.textContent.toLowerCase().indexOf(text) !== -1;
      selects.forEach(function (select) {
        var column = parseInt(select.getAttribute("data-column"), 10);
        if (select.value && row.cells[column].textContent.trim() !== select.value) ok = false;
      });
      row.hidden = !ok;
      if (ok) shown += 1;
    });
    var count = document.querySelector('[data-sms-count="' + tableId + '"]');
    if (count) count.textContent = shown + " documents";
  }
  function sortBy(table, cell, column) {
    var ascending = cell.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { c.removeAttribute("aria-sort"); });
    cell.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var sorted = rowsOf(table).sort(function (a, b) {
      var x = a.cells[column].textContent.trim(), y = b.cells[column].textContent.trim();
      // A cell with nothing in it ("—", a retired document's next review) goes last either way.
      var xEmpty = x === "" || x === "—", yEmpty = y === "" || y === "—";
      if (xEmpty || yEmpty) return xEmpty - yEmpty;
      return (ascending ? 1 : -1) * x.localeCompare(y, undefined, { numeric: true });
    });
    sorted.forEach(function (row) { table.tBodies[0].appendChild(row); });
  }
  function setup() {
    document.querySelectorAll("[data-sms-filter], [data-sms-column-filter]").forEach(function (control) {
      var tableId = control.getAttribute("data-sms-filter") || control.getAttribute("data-sms-column-filter");
      control.addEventListener("input", function () { apply(tableId); });
      control.addEventListener("change", function () { apply(tableId); });
    });
    document.querySelectorAll("table.sms-sortable").forEach(function (table) {
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell, column) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "sms-sort";
        button.title = "Sort by " + cell.textContent.trim();
        while (cell.firstChild) button.appendChild(cell.firstChild);
        cell.appendChild(button);
        button.addEventListener("click", function () { sortBy(table, cell, column); });
        // A click anywhere in the heading counts, not only on its text.
        cell.addEventListener("click", function (event) { if (event.target === cell) button.click(); });
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup); else setup();
})();

// Search for a document id: Material's search splits "PRO-INC-002" into "pro", "inc" and "002"
// and lists every page with any of them, then highlights "pro" inside "approved". When the
// query is the id of a listed document, the list shows that document alone, and the page it
// opens highlights the whole id instead.
(function () {
  var ID = /^[A-Za-z][A-Za-z0-9]*(-[A-Za-z0-9]+)+$/;
  var PARAM = "sms-id";
  function escapeRegExp(text) { return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }
  function titleOf(item) {
    var h1 = item.querySelector("article h1");
    return h1 ? h1.textContent.replace(/\s+/g, " ").trim().toUpperCase() : "";
  }
  function narrow(input, list, meta) {
    var query = input.value.trim();
    var items = Array.prototype.slice.call(list.querySelectorAll(".md-search-result__item"));
    var id = ID.test(query) ? query.toUpperCase() : null;
    var exact = id ? items.filter(function (item) { return titleOf(item).indexOf(id + " ") === 0; }) : [];
    if (!exact.length) {
      if (list.hasAttribute("data-sms-id")) {
        list.removeAttribute("data-sms-id");
        items.forEach(function (item) { item.hidden = false; });
      }
      return;
    }
    list.setAttribute("data-sms-id", id);
    items.forEach(function (item) { item.hidden = exact.indexOf(item) < 0; });
    exact.forEach(function (item) {
      item.querySelectorAll("a.md-search-result__link").forEach(function (link) {
        var url = new URL(link.href);
        if (url.searchParams.get(PARAM) === id) return;
        url.searchParams.delete("h");
        url.searchParams.set(PARAM, id);
        link.href = url.toString();
      });
    });
    var text = exact.length === 1 ? "1 matching document" : exact.length + " matching documents";
    if (meta.textContent !== text) meta.textContent = text;
  }
  function watch() {
    var input = document.querySelector("input.md-search__input");
    var list = document.querySelector(".md-search-result__list");
    var meta = document.querySelector(".md-search-result__meta");
    if (!input || !list || !meta) return;
    var update = function () { narrow(input, list, meta); };
    new MutationObserver(update).observe(list, { childList: true });
    new MutationObserver(update).observe(meta, { childList: true, characterData: true, subtree: true });
  }
  function highlight() {
    var id = new URL(window.location.href).searchParams.get(PARAM);
    var content = document.querySelector("article.md-content__inner");
    if (!id || !ID.test(id) || !content) return;
    var whole = new RegExp("(^|[^A-Za-z0-9-])(" + escapeRegExp(id) + ")(?![A-Za-z0-9]|-[A-Za-z0-9])", "i");
    var walker = document.createTreeWalker(content, NodeFilter.SHOW_TEXT);
    var found = [];
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      // Only text the reader sees, as Material does: not the hidden print line, for one.
      var parent = node.parentElement;
      if (whole.test(node.nodeValue) && parent.offsetHeight && !parent.closest("script, style, mark")) found.push(node);
    }
    found.forEach(function (node) {
      var match;
      while (node && (match = whole.exec(node.nodeValue))) {
        var start = match.index + match[1].length;
        var rest = node.splitText(start);
        node = rest.splitText(match[2].length);
        var mark = document.createElement("mark");
        mark.setAttribute("data-md-highlight", "");
        rest.parentNode.replaceChild(mark, rest);
        mark.appendChild(rest);
      }
    });
  }
  function setup() { watch(); highlight(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup); else setup();
})();

// Version history: which version was in force on a date. Periods come from the page itself
// (data-from, data-to: ISO dates, which compare as text), so it works offline.
(function () {
  function answer(form) {
    var day = form.querySelector("input[type=date]").value;
    var output = form.querySelector("[data-sms-in-force-answer]");
    if (!day) { output.textContent = ""; return; }
    var found = null;
    document.querySelectorAll("section[data-version]").forEach(function (section) {
      var from = section.getAttribute("data-from"), to = section.getAttribute("data-to");
      if (from && from <= day && (!to || day < to)) found = section;
    });
    output.textContent = "";
    if (!found) {
      output.textContent = "On " + day + " no version of this document was in force.";
      return;
    }
    var link = document.createElement("a");
    link.href = "#" + found.id;
    link.textContent = "version " + found.getAttribute("data-version");
    var to = found.getAttribute("data-to");
    output.append("On " + day + " ", link, " was in force (from " + found.getAttribute("data-from") +
      (to ? " to " + to : "") + ").");
  }
  function setup() {
    document.querySelectorAll("form[data-sms-in-force]").forEach(function (form) {
      form.addEventListener("input", function () { answer(form); });
      form.addEventListener("change", function () { answer(form); });
      answer(form);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup); else setup();
})();
