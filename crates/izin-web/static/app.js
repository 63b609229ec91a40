// Izin — progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // Move keyboard and screen-reader focus to the error summary, so the problem is heard first.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }

  // A form marked data-once cannot be sent twice by a double click.
  document.querySelectorAll("form[data-once]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.sent === "1") { event.preventDefault(); return; }
      form.dataset.sent = "1";
      // A disabled button is left out of what the form sends, so the clicked button's choice
      // (such as "Show Application Preview") is carried in a hidden field instead.
      var submitter = event.submitter;
      if (submitter && submitter.name) {
        var carried = document.createElement("input");
        carried.type = "hidden";
        carried.name = submitter.name;
        carried.value = submitter.value;
        form.appendChild(carried);
      }
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
    });
  });

  // Long lists gain a filter box. Typing only narrows the options (case, accents and the
  // Turkish dotted/dotless i are ignored); it never changes the chosen value on its own, except
  // that typing an option's exact code or exact name chooses that option, and clearing the text
  // or typing on goes back to what the person had chosen. Enter with a single match chooses it
  // and never sends the form. Without JavaScript the plain list works as it is.
  function fold(text) {
    return text.toLocaleLowerCase("tr").replace(/[ıİI]/g, "i").normalize("NFD").replace(/[\u0300-\u036f]/g, "").trim();
  }
  var lang = document.documentElement.lang === "tr" ? "tr" : "en";
  var filterTexts = {
    tr: { label: "listeyi süz", placeholder: "Listeyi süzmek için yazın", none: "Eşleşen seçenek yok.", count: " seçenek eşleşiyor; listeden seçin.", chosen: "Seçilen: " },
    en: { label: "filter the list", placeholder: "Type to filter the list", none: "No option matches.", count: " options match; choose one from the list.", chosen: "Chosen: " }
  }[lang];
  function filterBox(control, labelText) {
    var box = document.createElement("input");
    box.type = "search";
    box.className = "list-filter";
    box.setAttribute("aria-controls", control.id);
    box.setAttribute("aria-label", (labelText ? labelText + " — " : "") + filterTexts.label);
    box.placeholder = filterTexts.placeholder;
    box.autocomplete = "off";
    var status = document.createElement("p");
    status.className = "hint list-filter-status";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    control.parentNode.insertBefore(box, control);
    control.parentNode.insertBefore(status, control);
    return { box: box, status: status };
  }
  document.querySelectorAll("select[data-searchable]").forEach(function (select) {
    var label = document.querySelector('label[for="' + select.id + '"]');
    var parts = filterBox(select, label ? label.textContent.trim() : "");
    var box = parts.box, status = parts.status;
    // What the person chose (or what the page came with); typing never replaces it silently.
    var chosen = select.value;
    select.addEventListener("change", function () { chosen = select.value; });
    function exactMatch(wanted) {
      if (!wanted) { return null; }
      var found = null;
      Array.prototype.forEach.call(select.options, function (option) {
        if (found || option.value === "") { return; }
        var text = fold(option.text), code = fold(option.value);
        // A code counts only where the option shows it ("9901.02 Intern (Student)"), so that
        // typing "kaz" on the way to "Kazakhstan" never picks an option by a hidden code.
        var shown = text.indexOf(code + " ") === 0;
        var name = shown ? text.slice(code.length + 1).trim() : text;
        if ((shown && code === wanted) || text === wanted || name === wanted) { found = option; }
      });
      return found;
    }
    function visible() {
      return Array.prototype.filter.call(select.options, function (o) { return !o.hidden && o.value !== ""; });
    }
    box.addEventListener("input", function () {
      var wanted = fold(box.value);
      Array.prototype.forEach.call(select.options, function (option) {
        option.hidden = !(!wanted || option.value === "" || fold(option.text).indexOf(wanted) !== -1);
      });
      var exact = exactMatch(wanted);
      select.value = exact ? exact.value : chosen;
      var shown = visible().length;
      if (!wanted) { status.textContent = ""; }
      else if (exact) { status.textContent = filterTexts.chosen + exact.text; }
      else if (shown === 0) { status.textContent = filterTexts.none; }
      else { status.textContent = shown + filterTexts.count; }
    });
    box.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") { return; }
      // Enter in a filter box must not send the form with a value the person did not pick.
      event.preventDefault();
      var shown = visible();
      if (shown.length === 1) {
        select.value = shown[0].value;
        chosen = select.value;
        status.textContent = filterTexts.chosen + shown[0].text;
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
      select.focus();
    });
  });

  // A long list of checkboxes (Known Languages) gains the same filter box; ticking is done by
  // tapping, and the ticked ones stay visible whatever is typed.
  document.querySelectorAll("[data-checklist]").forEach(function (list) {
    var legend = list.querySelector("legend");
    var items = list.querySelectorAll("[data-choice]");
    var anchor = list.querySelector(".checklist-options");
    if (!anchor) { return; }
    var parts = filterBox(anchor, legend ? legend.textContent.trim() : "");
    parts.box.setAttribute("aria-controls", anchor.id);
    parts.box.addEventListener("input", function () {
      var wanted = fold(parts.box.value);
      var shown = 0;
      items.forEach(function (item) {
        var input = item.querySelector("input");
        var show = !wanted || input.checked || fold(item.textContent).indexOf(wanted) !== -1;
        item.hidden = !show;
        if (show) { shown += 1; }
      });
      parts.status.textContent = !wanted ? "" : (shown === 0 ? filterTexts.none : shown + filterTexts.count);
    });
    parts.box.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); }
    });
  });

  // Fields that only apply to some answers are hidden until they do (they stay in the page,
  // so what was typed is never lost).
  function fieldValue(form, name) {
    var checked = form.querySelector('[name="' + name + '"]:checked');
    if (checked) { return checked.value; }
    // Radio buttons with none chosen have no value (not the first button's).
    var field = form.querySelector('select[name="' + name + '"], input[name="' + name + '"]:not([type=radio]):not([type=checkbox])');
    return field ? field.value : "";
  }
  var levels = ["primary", "secondary", "high_school", "associate", "bachelor", "master", "doctorate"];
  function levelAtLeast(form, level) {
    var chosen = levels.indexOf(fieldValue(form, "education_level"));
    return chosen === -1 || chosen >= levels.indexOf(level);
  }
  var conditions = {
    spouse_first_name: function (f) { return fieldValue(f, "marital_status") === "married"; },
    spouse_last_name: function (f) { return fieldValue(f, "marital_status") === "married"; },
    spouse_nationality: function (f) { return fieldValue(f, "marital_status") === "married"; },
    spouse_tr_id: function (f) { return fieldValue(f, "marital_status") === "married"; },
    turkish_proof_document_id: function (f) { return fieldValue(f, "turkish_level") !== ""; },
    high_school: function (f) { return levelAtLeast(f, "high_school"); },
    university: function (f) { return levelAtLeast(f, "associate"); },
    postgraduate: function (f) { return levelAtLeast(f, "master"); }
  };
  document.querySelectorAll("form[data-section]").forEach(function (form) {
    function apply() {
      Object.keys(conditions).forEach(function (name) {
        var wrapper = form.querySelector('[data-field="' + name + '"]');
        if (!wrapper) { return; }
        var show = conditions[name](form) || wrapper.classList.contains("field-invalid");
        wrapper.hidden = !show;
        var heading = wrapper.previousElementSibling;
        while (heading && heading.tagName === "P" && heading.classList.contains("hint")) { heading = heading.previousElementSibling; }
        if (heading && heading.classList.contains("group-heading")) {
          heading.hidden = !show;
          if (heading.nextElementSibling) { heading.nextElementSibling.hidden = !show; }
        }
      });
    }
    form.addEventListener("change", apply);
    apply();
  });

  // New Application: questions that apply only to some answers (`data-show-when="name=value"`,
  // or "period=short|long" for periods under or from three months) are hidden until they
  // apply. A field with an error always shows. The server ignores answers that do not apply.
  // Reads a date as the server does: day/month/year (also with . or -) or year-month-day.
  function readDate(text) {
    var m = /^\s*(\d{1,2})[\/.\-](\d{1,2})[\/.\-](\d{4})\s*$/.exec(text);
    var iso = /^\s*(\d{4})-(\d{2})-(\d{2})\s*$/.exec(text);
    var y, mo, d;
    if (iso) { y = +iso[1]; mo = +iso[2]; d = +iso[3]; }
    else if (m) { y = +m[3]; mo = +m[2]; d = +m[1]; }
    else { return null; }
    var date = new Date(Date.UTC(y, mo - 1, d));
    return date.getUTCMonth() === mo - 1 && date.getUTCDate() === d ? date : null;
  }
  function periodIs(form, which) {
    var s = readDate(fieldValue(form, "start_date")), e = readDate(fieldValue(form, "end_date"));
    if (!s || !e) { return true; }
    var day = s.getUTCDate();
    var limit = new Date(Date.UTC(s.getUTCFullYear(), s.getUTCMonth() + 3, 1));
    var last = new Date(Date.UTC(limit.getUTCFullYear(), limit.getUTCMonth() + 1, 0)).getUTCDate();
    limit.setUTCDate(Math.min(day, last));
    var long = e >= limit;
    return which === "long" ? long : !long;
  }
  document.querySelectorAll("form").forEach(function (form) {
    var dependent = form.querySelectorAll("[data-show-when]");
    var narrowed = form.querySelectorAll("select[data-depends-on]");
    if (!dependent.length && !narrowed.length) { return; }
    function apply() {
      dependent.forEach(function (element) {
        var rule = element.dataset.showWhen.split("=");
        var show;
        if (rule[0] === "card") {
          // A card or certificate is issued: three months or longer, or a certificate asked for.
          show = periodIs(form, "long") || fieldValue(form, "certificate_requested") === "true";
        } else if (rule[0] === "period") {
          show = periodIs(form, rule[1]);
        } else {
          show = fieldValue(form, rule[0]) === rule[1];
        }
        element.hidden = !(show || element.classList.contains("field-invalid"));
      });
      narrowed.forEach(function (select) {
        var parent = fieldValue(form, select.dataset.dependsOn);
        Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
          var match = !parent || group.label === parent;
          group.hidden = !match;
          group.disabled = !match;
        });
        var chosen = select.options[select.selectedIndex];
        if (chosen && chosen.parentNode.tagName === "OPTGROUP" && chosen.parentNode.disabled) { select.value = ""; }
      });
    }
    form.addEventListener("change", apply);
    form.addEventListener("input", apply);
    apply();
  });

  // A page that must never be shown from the browser's history (the preview of an application
  // that may have been created meanwhile) is fetched again when the Back button returns to it.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && document.querySelector("[data-no-history]")) { window.location.reload(); }
  });

  // The session warning: shown shortly before the idle limit; "stay signed in" renews the
  // session in the background, so the page and what was typed stay as they are.
  var body = document.body;
  var remaining = parseInt(body.dataset.sessionRemaining || "", 10);
  var warningSeconds = parseInt(body.dataset.sessionWarning || "120", 10);
  var dialog = document.getElementById("session-warning");
  if (isNaN(remaining) || !dialog) { return; }
  var countdown = dialog.querySelector("[data-session-countdown]");
  var form = dialog.querySelector("form[data-session-extend]");
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var deadline = Date.now() + remaining * 1000;
  var timer = null;

  function format(seconds) {
    var m = Math.floor(seconds / 60), s = seconds % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }

  function tick() {
    var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    if (left <= 0) { window.location.assign("/session-expired"); return; }
    if (left <= warningSeconds) {
      if (dialog.hidden) {
        dialog.hidden = false;
        var button = dialog.querySelector("button");
        if (button) { button.focus(); }
      }
      countdown.textContent = format(left);
    }
    timer = window.setTimeout(tick, 1000);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var data = new URLSearchParams(new FormData(form));
    fetch(form.action, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRF-Token": csrfMeta ? csrfMeta.content : "", "Accept": "application/json" },
      body: data
    }).then(function (response) {
      if (!response.ok) { throw new Error("extend failed"); }
      return response.json();
    }).then(function (json) {
      deadline = Date.now() + json.remaining_seconds * 1000;
      dialog.hidden = true;
    }).catch(function () { window.location.assign("/session-expired"); });
  });

  tick();
})();
