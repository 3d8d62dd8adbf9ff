// The linkage runs page: every run still queued or running is asked about every two seconds; its status,
// progress and counts are updated in place, and the page is loaded again once all of them have ended.
(function () {
  "use strict";
  const table = document.getElementById("linkage-runs");
  if (!table) return;
  const POLL_MS = 2000;
  const FINISHED = ["done", "failed"];
  const COUNTS = ["records_considered", "pairs_scored", "review_pairs", "victims_created", "victims_changed",
                  "victims_retired"];
  const notice = document.getElementById("runs-notice");
  const statusLabels = JSON.parse(document.getElementById("run-status-labels").textContent);
  const rows = Array.from(table.querySelectorAll("tr[data-status-url]"));
  if (!rows.length) return;

  function show(row, run) {
    const status = row.querySelector("[data-field=status]");
    status.textContent = statusLabels[run.status] || run.status;
    status.className = "status status-" + run.status;
    row.querySelector("[data-field=progress]").textContent = run.status === "failed" ? run.error : run.progress_note;
    COUNTS.forEach(function (name) { row.querySelector("[data-field=" + name + "]").textContent = run[name]; });
  }

  async function poll() {
    try {
      const answers = await Promise.all(rows.map(async function (row) {
        const response = await fetch(row.dataset.statusUrl, {
          headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store",
        });
        if (!response.ok) throw new Error(response.status + " " + response.statusText);
        const run = await response.json();
        show(row, run);
        return FINISHED.includes(run.status);
      }));
      notice.textContent = "";
      if (answers.every(Boolean)) {
        window.location.reload();
        return;
      }
    } catch (error) {
      notice.textContent = table.dataset.labelRetrying;
    }
    window.setTimeout(poll, POLL_MS);
  }

  window.setTimeout(poll, POLL_MS);
})();
