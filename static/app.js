// Progressive enhancement only: the site works without this file.
// 1. Suggestions under the search box (ARIA 1.2 combobox with a listbox).
// 2. « Copier le lien » and « Partager » buttons on scheme pages.
(function () {
  "use strict";

  function setupCombobox(input, n) {
    var url = input.getAttribute("data-suggest");
    var list = document.createElement("ul");
    var live = document.createElement("p");
    var id = "suggestions-" + n;
    var items = [];
    var active = -1;
    var timer = null;
    var seq = 0;
    list.id = id;
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Suggestions");
    list.hidden = true;
    live.className = "visuellement-cache";
    live.setAttribute("role", "status");
    input.parentNode.appendChild(list);
    input.parentNode.appendChild(live);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", id);

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function select(i) {
      var options = list.children;
      for (var k = 0; k < options.length; k++) {
        options[k].setAttribute("aria-selected", k === i ? "true" : "false");
      }
      active = i;
      if (i >= 0) input.setAttribute("aria-activedescendant", options[i].id);
      else input.removeAttribute("aria-activedescendant");
    }
    function show(found) {
      items = found;
      list.textContent = "";
      found.forEach(function (s, i) {
        var li = document.createElement("li");
        li.id = id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.textContent = s.nom;
        li.addEventListener("mousedown", function (e) { e.preventDefault(); window.location.href = s.url; });
        list.appendChild(li);
      });
      if (found.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        live.textContent = found.length + (found.length > 1 ? " suggestions, flèches pour choisir" : " suggestion, flèches pour choisir");
      } else {
        close();
        live.textContent = "";
      }
      active = -1;
    }
    function fetchSuggestions() {
      var q = input.value;
      if (q.trim().length < 2) { show([]); return; }
      var mine = ++seq;
      fetch(url + "?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (found) { if (mine === seq) show(found); })
        .catch(function () { show([]); });
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, 120);
    });
    input.addEventListener("keydown", function (e) {
      if (list.hidden) return;
      if (e.key === "ArrowDown") { e.preventDefault(); select((active + 1) % items.length); }
      else if (e.key === "ArrowUp") { e.preventDefault(); select(active <= 0 ? items.length - 1 : active - 1); }
      else if (e.key === "Escape") { close(); }
      else if (e.key === "Enter" && active >= 0) { e.preventDefault(); window.location.href = items[active].url; }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  function setupSharing() {
    var copy = document.querySelector("[data-copier]");
    if (copy && navigator.clipboard) {
      copy.hidden = false;
      copy.addEventListener("click", function () {
        navigator.clipboard.writeText(copy.getAttribute("data-copier")).then(function () {
          var msg = document.getElementById("message-partage");
          if (msg) msg.textContent = "Lien copié.";
        });
      });
    }
    var share = document.querySelector("[data-partager]");
    if (share && navigator.share) {
      share.hidden = false;
      share.addEventListener("click", function () {
        navigator.share({ title: document.title, url: share.getAttribute("data-partager") }).catch(function () {});
      });
    }
    var print = document.querySelector("[data-imprimer]");
    if (print) {
      print.hidden = false;
      print.addEventListener("click", function () { window.print(); });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var inputs = document.querySelectorAll("input[data-suggest]");
    for (var i = 0; i < inputs.length; i++) setupCombobox(inputs[i], i);
    setupSharing();
  });
})();
