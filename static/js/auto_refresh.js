// A page that follows work in progress reloads itself every data-refresh-seconds seconds, saying so on the page
// (a <meta http-equiv="refresh"> would reload without telling, which WCAG 2.2.1 forbids).
(function () {
  "use strict";
  const notice = document.querySelector("[data-refresh-seconds]");
  if (notice) setTimeout(() => window.location.reload(), Number(notice.dataset.refreshSeconds) * 1000);
})();
