// A run's page while the run is queued or running: ask the API about once a second how far it is, move the
// progress bar and the count of rows read so far, and load the page again once the run has ended, to show its
// counts and report.
(function () {
  "use strict";
  const row = document.getElementById("run-progress");
  if (!row || !row.dataset.statusUrl) return;
  const POLL_MS = 1000;
  const FINISHED = ["done", "failed"];
  const progress = row.querySelector("[role=progressbar]");
  const bar = row.querySelector(".progress-bar");
  const text = row.querySelector(".progress-text");
  const statusElement = document.getElementById("run-status");
  const notice = document.getElementById("run-notice");
  const followingText = notice.textContent;
  const statusLabels = JSON.parse(document.getElementById("run-status-labels").textContent);
  const percentFormat = new Intl.NumberFormat(document.documentElement.lang || "es", { style: "percent" });

  const readCell = document.querySelector("#run-counts [data-count=read]");
  const countFormat = new Intl.NumberFormat(document.documentElement.lang || "es");

  function show(run) {
    if (readCell && run.status === "running") readCell.textContent = countFormat.format(run.rows_read || 0);
    const percent = Math.floor(Math.min(Math.max(Number(run.progress) || 0, 0), 1) * 100);
    progress.setAttribute("aria-valuenow", String(percent));
    bar.style.width = percent + "%";
    text.textContent = percentFormat.format(percent / 100);
    statusElement.textContent = statusLabels[run.status] || run.status;
    statusElement.dataset.status = run.status;
    statusElement.className = "status status-" + run.status;
  }

  async function poll() {
    try {
      const response = await fetch(row.dataset.statusUrl, {
        headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store",
      });
      if (!response.ok) throw new Error(response.status + " " + response.statusText);
      const run = await response.json();
      show(run);
      notice.textContent = followingText;
      if (FINISHED.includes(run.status)) {
        window.location.reload();
        return;
      }
    } catch (error) {
      notice.textContent = row.dataset.labelRetrying;
    }
    window.setTimeout(poll, POLL_MS);
  }

  window.setTimeout(poll, POLL_MS);
})();
