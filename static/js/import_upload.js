// Sending a file: with JavaScript the form goes to the API by XMLHttpRequest, showing how much of the file is
// sent, then opens the run's page; without it, the form posts to the page itself.
(function () {
  "use strict";
  const form = document.getElementById("upload-form");
  if (!form || !window.FormData || !window.XMLHttpRequest) return;
  const labels = form.dataset;
  const progressRow = document.getElementById("upload-progress");
  const progress = progressRow.querySelector("[role=progressbar]");
  const bar = progressRow.querySelector(".progress-bar");
  const text = progressRow.querySelector(".progress-text");
  const status = document.getElementById("upload-status");
  const errorBox = document.getElementById("upload-errors");
  const button = form.querySelector("button[type=submit]");
  const percentFormat = new Intl.NumberFormat(document.documentElement.lang || "es", { style: "percent" });

  function showProgress(share) {
    const percent = Math.floor(Math.min(Math.max(share, 0), 1) * 100);
    progress.setAttribute("aria-valuenow", String(percent));
    bar.style.width = percent + "%";
    text.textContent = percentFormat.format(percent / 100);
  }

  function showErrors(messages) {
    errorBox.replaceChildren();
    const list = document.createElement("ul");
    for (const message of messages) {
      const item = document.createElement("li");
      item.textContent = message;
      list.appendChild(item);
    }
    errorBox.appendChild(list);
    errorBox.hidden = false;
    progressRow.hidden = true;
    status.textContent = "";
    button.disabled = false;
  }

  function refusalMessages(xhr) {
    const body = xhr.response;
    // The server's own reason says which source this account sends for; the label is for an answer without one.
    if (xhr.status === 403) return [(body && body.message) || labels.labelRefused];
    if (xhr.status === 400 && body) {
      const fields = (body.extra && body.extra.fields) || {};
      const messages = Object.values(fields).flat().map(String);
      return messages.length ? messages : [body.message];
    }
    return [labels.labelHttpError.replace("%(status)s", String(xhr.status))];
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    const xhr = new XMLHttpRequest();
    xhr.open("POST", labels.apiUrl);
    xhr.responseType = "json";
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("X-CSRFToken", form.elements.csrfmiddlewaretoken.value);
    xhr.upload.onprogress = function (progressEvent) {
      if (progressEvent.lengthComputable) showProgress(progressEvent.loaded / progressEvent.total);
    };
    xhr.upload.onload = function () {
      showProgress(1);
    };
    xhr.onload = function () {
      if (xhr.status === 202 && xhr.response && xhr.response.id) {
        showProgress(1);
        status.textContent = labels.labelSent;
        window.location.assign(labels.runPagePrefix + encodeURIComponent(xhr.response.id) + "/");
        return;
      }
      showErrors(refusalMessages(xhr));
    };
    xhr.onerror = function () {
      showErrors([labels.labelFailed]);
    };
    errorBox.hidden = true;
    progressRow.hidden = false;
    showProgress(0);
    status.textContent = labels.labelSending;
    button.disabled = true;
    xhr.send(new FormData(form));
  });
})();
