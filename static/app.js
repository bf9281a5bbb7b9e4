// Progressive enhancement only: the site works without this file.
// 1. Suggestions under the search box (ARIA 1.2 combobox with a listbox), in the flow of the
//    page so they never cover the age and commune fields.
// 2. « Copier le lien », « Partager » and « Imprimer » buttons.
// 3. Typed text kept in the history entry, so it survives Back.
// 4. « Ma sélection » remembered across result pages (sessionStorage, never sent anywhere but
//    in the /selection address).
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
    // After the search row, not over the next fields: the list pushes them down.
    var row = input.parentNode;
    row.parentNode.insertBefore(list, row.nextSibling);
    row.parentNode.insertBefore(live, list.nextSibling);
    // The browser's own history list would cover ours; Back keeps the text (rememberTyping).
    input.setAttribute("autocomplete", "off");
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
      // Escape closes the list; preventDefault stops a search box from erasing the text.
      else if (e.key === "Escape") { e.preventDefault(); close(); }
      else if (e.key === "Enter" && active >= 0) { e.preventDefault(); window.location.href = items[active].url; }
    });
    // Closed a moment after focus leaves (a tap on an option lands first), unless focus has
    // come back meanwhile: a list opened by new typing must not be shut by an old blur.
    input.addEventListener("blur", function () {
      setTimeout(function () { if (document.activeElement !== input) close(); }, 150);
    });
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

  function rememberTyping() {
    var fields = document.querySelectorAll("form input[type=search][id], form input[type=text][id], form input[type=number][id]");
    var saved = history.state && history.state.champs;
    function save() {
      var champs = {};
      for (var k = 0; k < fields.length; k++) champs[fields[k].id] = fields[k].value;
      try { history.replaceState({ champs: champs }, ""); } catch (e) { /* not allowed: nothing kept */ }
    }
    for (var i = 0; i < fields.length; i++) {
      if (saved && typeof saved[fields[i].id] === "string") fields[i].value = saved[fields[i].id];
      fields[i].addEventListener("input", save);
    }
  }

  var KEY = "selection";
  function stored() {
    try { return JSON.parse(sessionStorage.getItem(KEY) || "[]").filter(function (x) { return /^[a-z0-9-]+$/.test(x); }); }
    catch (e) { return []; }
  }
  function store(ids) {
    try { sessionStorage.setItem(KEY, JSON.stringify(ids.slice(0, 20))); } catch (e) { /* private mode: the form still works */ }
  }
  function selectionUrl(ids) { return "/selection" + (ids.length ? "?ids=" + ids.join(",") : ""); }

  function setupSelection() {
    var page = document.querySelector("[data-selection-ids]");
    if (page) store(page.getAttribute("data-selection-ids").split(",").filter(Boolean));
    var add = document.querySelector("[data-ajouter]");
    if (add) {
      add.addEventListener("click", function (e) {
        var ids = stored();
        var id = add.getAttribute("data-ajouter");
        if (ids.indexOf(id) < 0) ids.push(id);
        e.preventDefault();
        window.location.href = selectionUrl(ids);
      });
    }
    var form = document.getElementById("selection");
    if (!form) return;
    var boxes = document.querySelectorAll("input[data-selection]");
    var button = form.querySelector("[data-selection-bouton]");
    function refresh() {
      var n = stored().length;
      if (button) button.textContent = n ? "Voir ma sélection (" + n + ")" : "Voir ma sélection";
    }
    var ids = stored();
    for (var i = 0; i < boxes.length; i++) {
      boxes[i].checked = ids.indexOf(boxes[i].value) >= 0;
      boxes[i].addEventListener("change", function (e) {
        var now = stored().filter(function (x) { return x !== e.target.value; });
        if (e.target.checked) now.push(e.target.value);
        store(now);
        refresh();
      });
    }
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      window.location.href = selectionUrl(stored());
    });
    refresh();
  }

  document.addEventListener("DOMContentLoaded", function () {
    rememberTyping();
    var inputs = document.querySelectorAll("input[data-suggest]");
    for (var i = 0; i < inputs.length; i++) setupCombobox(inputs[i], i);
    setupSharing();
    setupSelection();
  });
})();
