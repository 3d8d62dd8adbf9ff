// The search boxes (site header, home): suggestions from the place-search API as the reader types; without
// JavaScript the form still opens the results page.
(function () {
  "use strict";
  const WAIT_MS = 150;

  function attach(form) {
    const input = form.querySelector("input[name=q]");
    const list = form.querySelector(".place-suggestions");
    let timer = null;
    let asked = "";
    let active = -1;

    function close() {
      list.hidden = true;
      list.replaceChildren();
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function show(matches) {
      list.replaceChildren();
      if (!matches.length) {
        const empty = document.createElement("li");
        empty.className = "none";
        empty.textContent = form.dataset.labelNone;
        list.append(empty);
      }
      matches.forEach(function (match, index) {
        const item = document.createElement("li");
        item.id = input.id + "-option-" + index;
        item.setAttribute("role", "option");
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
      input.setAttribute("aria-expanded", "true");
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

    function move(step) {
      const options = list.querySelectorAll("[role=option]");
      if (!options.length) return;
      active = (active + step + options.length) % options.length;
      options.forEach((option, index) => option.setAttribute("aria-selected", index === active ? "true" : "false"));
      input.setAttribute("aria-activedescendant", options[active].id);
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(() => suggest().catch(close), WAIT_MS);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        move(event.key === "ArrowDown" ? 1 : -1);
      } else if (event.key === "Escape") {
        close();
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        window.location.assign(list.querySelectorAll("[role=option] a")[active].href);
      }
    });
    document.addEventListener("click", function (event) {
      if (!form.contains(event.target)) close();
    });
  }

  document.querySelectorAll("form.place-search").forEach(attach);
})();
