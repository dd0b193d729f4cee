// The review report's two behaviours, offline and without libraries:
// sorting a table by a clicked column (data-sort holds the sort key when the
// cell shows something else), and lighting up a row's box on the page image
// while the pointer is on the row, and the other way round.
"use strict";

function sortKey(cell, numeric) {
  const raw = cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent.trim();
  if (!numeric) return raw;
  const number = parseFloat(raw);
  return Number.isNaN(number) ? -Infinity : number;
}

function sortBy(table, header) {
  const index = Array.prototype.indexOf.call(header.parentNode.children, header);
  const numeric = header.dataset.type === "number";
  const ascending = header.getAttribute("aria-sort") !== "ascending";
  for (const other of header.parentNode.children) other.removeAttribute("aria-sort");
  header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  const body = table.tBodies[0];
  const rows = Array.from(body.rows);
  rows.sort((a, b) => {
    const x = sortKey(a.cells[index], numeric);
    const y = sortKey(b.cells[index], numeric);
    const order = x < y ? -1 : x > y ? 1 : 0;
    return ascending ? order : -order;
  });
  for (const row of rows) body.appendChild(row);
}

function highlight(ref, on) {
  for (const element of document.querySelectorAll('[data-ref="' + ref + '"]')) {
    element.classList.toggle("hover", on);
  }
}

document.addEventListener("DOMContentLoaded", () => {
  for (const table of document.querySelectorAll("table.sortable")) {
    for (const header of table.tHead.rows[0].cells) {
      header.addEventListener("click", () => sortBy(table, header));
    }
  }
  for (const element of document.querySelectorAll("[data-ref]")) {
    element.addEventListener("mouseenter", () => highlight(element.dataset.ref, true));
    element.addEventListener("mouseleave", () => highlight(element.dataset.ref, false));
  }
});
