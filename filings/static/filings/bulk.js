// The queue's "select all on this page" box (filings/queue.html): ticks or clears every row's box.
document.addEventListener("change", (event) => {
  if (!event.target.matches("[data-bulk-all]")) return;
  for (const box of document.querySelectorAll('input[name="ids"][form="bulk-form"]')) {
    box.checked = event.target.checked;
  }
});
