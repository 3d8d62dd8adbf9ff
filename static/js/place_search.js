// The search boxes (site header, home): suggestions from the place-search API as the reader types, as a list of
// links under the box (arrow keys move between them); without JavaScript the form opens the results page.
(function () {
  "use strict";
  const WAIT_MS = 150;

  function attach(form) {
    const input = form.querySelector("input[name=q]");
    const list = form.querySelector(".place-suggestions");
    let timer = null;
    let asked = "";

    function close() {
      list.hidden = true;
      list.replaceChildren();
    }

    function show(matches) {
      list.replaceChildren();
      if (!matches.length) {
        const empty = document.createElement("li");
        empty.className = "none";
        empty.textContent = form.dataset.labelNone;
        list.append(empty);
      }
      matches.forEach(function (match) {
        const item = document.createElement("li");
        const link = document.createElement("a");
        link.href = match.page;
        link.textContent = match.name;
        const where = [match.alias ? "«" + match.alias + "»" : "", match.parent_name].filter(Boolean).join(" · ");
        const detail = document.createElement("span");
        detail.className = "where";
        detail.textContent = [match.level_name, where].filter(Boolean).join(" · ");
        link.append(" ", detail);
        item.append(link);
        list.append(item);
      });
      list.hidden = false;
    }

    async function suggest() {
      const text = input.value.trim();
      if (text === asked) return;
      asked = text;
      if (text.length < 2) return close();
      const response = await fetch(form.dataset.suggestUrl + "?" + new URLSearchParams({ q: text, limit: 8 }), {
        headers: { Accept: "application/json" },
      });
      if (!response.ok || input.value.trim() !== text) return;
      show(await response.json());
    }

    // Down from the box to the first suggestion, up and down between them, Escape back to the box.
    function move(event) {
      const links = [...list.querySelectorAll("a")];
      const at = links.indexOf(document.activeElement);
      if (event.key === "Escape") {
        close();
        input.focus();
      } else if (event.key === "ArrowDown" && links.length) {
        event.preventDefault();
        links[Math.min(at + 1, links.length - 1)].focus();
      } else if (event.key === "ArrowUp" && at >= 0) {
        event.preventDefault();
        (at === 0 ? input : links[at - 1]).focus();
      }
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(() => suggest().catch(close), WAIT_MS);
    });
    form.addEventListener("keydown", move);
    document.addEventListener("click", function (event) {
      if (!form.contains(event.target)) close();
    });
  }

  document.querySelectorAll("form.place-search").forEach(attach);
})();
