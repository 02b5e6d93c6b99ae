/* adrgen's decision tables in the browser.
 *
 * Every table whose header cells name their columns (data-adrgen-column) gets each cell
 * labelled with its column, for the card layout on a phone. A table whose first header cell
 * asks for filters (data-adrgen-filters) gets a filter by status, mechanism, tag and folder
 * above it: the choices are the values in the table's own rows, and a row is hidden unless
 * it matches every filter. Without this script the page lists every row as it is.
 * Filters can be preset from the address: ?status=accepted&mechanism=Pipes%20%2F%20FIFOs
 */
(function () {
  "use strict";

  var FILTERS = [
    ["status", "Status"],
    ["mechanism", "Mechanism"],
    ["tags", "Tag"],
    ["folder", "Folder"],
  ];

  function cellValues(cell) {
    var links = cell.querySelectorAll("a");
    var values = [];
    if (links.length > 1) {
      links.forEach(function (a) { values.push(a.textContent.trim()); });
    } else {
      var value = cell.textContent.trim();
      if (value) values.push(value);
    }
    return values;
  }

  function label(table) {
    var columns = [];
    table.querySelectorAll("thead th").forEach(function (th) {
      columns.push([th.getAttribute("data-adrgen-column"), th.textContent.trim()]);
    });
    table.querySelectorAll("tbody tr").forEach(function (row) {
      Array.prototype.forEach.call(row.cells, function (cell, index) {
        if (!columns[index] || !columns[index][0]) return;
        cell.setAttribute("data-adrgen-column", columns[index][0]);
        cell.setAttribute("data-label", columns[index][1]);
      });
    });
    return columns.map(function (c) { return c[0]; });
  }

  function addFilters(table, columns) {
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
    if (rows.length < 2) return;
    var params = new URLSearchParams(window.location.search);
    var box = document.createElement("form");
    box.className = "adrgen-filter";
    box.setAttribute("role", "search");
    box.setAttribute("aria-label", "Filter the decisions on this page");
    var selects = [];
    FILTERS.forEach(function (filter) {
      var index = columns.indexOf(filter[0]);
      if (index < 0) return;
      var seen = {};
      rows.forEach(function (row) {
        cellValues(row.cells[index]).forEach(function (v) { seen[v] = true; });
      });
      var values = Object.keys(seen).sort(function (a, b) { return a.localeCompare(b); });
      if (values.length < 2) return;
      var field = document.createElement("label");
      field.appendChild(document.createTextNode(filter[1]));
      var select = document.createElement("select");
      select.name = filter[0];
      select.appendChild(new Option("any", ""));
      values.forEach(function (v) { select.appendChild(new Option(v, v)); });
      var wanted = params.get(filter[0]);
      if (wanted && seen[wanted]) select.value = wanted;
      select.addEventListener("change", apply);
      field.appendChild(select);
      box.appendChild(field);
      selects.push([select, index]);
    });
    if (!selects.length) return;
    var reset = document.createElement("button");
    reset.type = "reset";
    reset.textContent = "Show all";
    box.appendChild(reset);
    box.addEventListener("reset", function () { window.setTimeout(apply, 0); });
    box.addEventListener("submit", function (event) { event.preventDefault(); });
    var count = document.createElement("output");
    count.setAttribute("aria-live", "polite");
    box.appendChild(count);
    var wrap = table.closest(".md-typeset__scrollwrap") || table;
    wrap.parentNode.insertBefore(box, wrap);

    function apply() {
      var shown = 0;
      rows.forEach(function (row) {
        var match = selects.every(function (pair) {
          return !pair[0].value || cellValues(row.cells[pair[1]]).indexOf(pair[0].value) >= 0;
        });
        row.hidden = !match;
        if (match) shown += 1;
      });
      count.textContent = shown === rows.length
        ? rows.length + " decisions on this page"
        : "Showing " + shown + " of the " + rows.length + " decisions on this page";
    }
    apply();
  }

  // the theme's search dialog has no name for screen readers to announce
  function nameSearch() {
    var dialog = document.querySelector(".md-search[role=dialog]:not([aria-label])");
    if (dialog) dialog.setAttribute("aria-label", "Search");
  }

  function setUp() {
    nameSearch();
    document.querySelectorAll("article table").forEach(function (table) {
      if (table.getAttribute("data-adrgen-ready")) return;
      var first = table.querySelector("thead th[data-adrgen-column]");
      if (!first) return;
      table.setAttribute("data-adrgen-ready", "1");
      var columns = label(table);
      if (first.hasAttribute("data-adrgen-filters")) addFilters(table, columns);
    });
  }

  // run `setUp` on every page shown; the wizard's script, loaded after this one, uses it too
  function onEachPage(setUp) {
    // material's instant navigation swaps pages without loading them: it announces each one
    if (window.document$ && typeof window.document$.subscribe === "function") {
      window.document$.subscribe(setUp);
    } else if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", setUp);
    } else {
      setUp();
    }
  }
  window.adrgenOnEachPage = onEachPage;
  onEachPage(setUp);
})();
