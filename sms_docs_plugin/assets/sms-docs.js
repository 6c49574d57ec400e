// Print date on the uncontrolled-copy line: the day the page is printed, not the day it was built.
(function () {
  function stamp() {
    var today = new Date().toISOString().slice(0, 10);
    document.querySelectorAll(".sms-print-date").forEach(function (el) { el.textContent = today; });
  }
  window.addEventListener("beforeprint", stamp);
  if (window.matchMedia) {
    window.matchMedia("print").addEventListener("change", function (event) { if (event.matches) stamp(); });
  }
  document.addEventListener("DOMContentLoaded", stamp);
})();

// Register: filter rows by text and by column, sort by a click on a heading.
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
  function setup() {
    document.querySelectorAll("[data-sms-filter], [data-sms-column-filter]").forEach(function (control) {
      var tableId = control.getAttribute("data-sms-filter") || control.getAttribute("data-sms-column-filter");
      control.addEventListener("input", function () { apply(tableId); });
      control.addEventListener("change", function () { apply(tableId); });
    });
    document.querySelectorAll("table.sms-sortable").forEach(function (table) {
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell, column) {
        cell.setAttribute("role", "button");
        cell.tabIndex = 0;
        cell.addEventListener("click", function () {
          var ascending = cell.getAttribute("aria-sort") !== "ascending";
          Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { c.removeAttribute("aria-sort"); });
          cell.setAttribute("aria-sort", ascending ? "ascending" : "descending");
          var sorted = rowsOf(table).sort(function (a, b) {
            var x = a.cells[column].textContent.trim(), y = b.cells[column].textContent.trim();
            return (ascending ? 1 : -1) * x.localeCompare(y, undefined, { numeric: true });
          });
          sorted.forEach(function (row) { table.tBodies[0].appendChild(row); });
        });
      });
    });
  }
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
