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

  // Long lists gain a filter box: typing narrows the options (case, accents and the Turkish
  // dotted/dotless i are ignored). Without JavaScript the plain list works as it is.
  function fold(text) {
    return text.toLocaleLowerCase("tr").replace(/[ıİI]/g, "i").normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }
  document.querySelectorAll("select[data-searchable]").forEach(function (select) {
    var label = document.querySelector('label[for="' + select.id + '"]');
    var box = document.createElement("input");
    box.type = "search";
    box.className = "list-filter";
    box.setAttribute("aria-controls", select.id);
    box.setAttribute("aria-label", (label ? label.textContent.trim() + " — " : "") + (document.documentElement.lang === "tr" ? "listeyi süz" : "filter the list"));
    box.placeholder = document.documentElement.lang === "tr" ? "Listeyi süzmek için yazın" : "Type to filter the list";
    select.parentNode.insertBefore(box, select);
    box.addEventListener("input", function () {
      var wanted = fold(box.value.trim());
      var firstMatch = null;
      Array.prototype.forEach.call(select.options, function (option) {
        var show = !wanted || option.value === "" || option.selected || fold(option.text).indexOf(wanted) !== -1;
        option.hidden = !show;
        if (show && option.value !== "" && !firstMatch) { firstMatch = option; }
      });
      if (!select.multiple && firstMatch && wanted) { select.value = firstMatch.value; }
    });
  });

  // Fields that only apply to some answers are hidden until they do (they stay in the page,
  // so what was typed is never lost).
  function fieldValue(form, name) {
    var checked = form.querySelector('[name="' + name + '"]:checked');
    if (checked) { return checked.value; }
    var field = form.querySelector('select[name="' + name + '"], input[name="' + name + '"]');
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
  function periodIs(form, which) {
    var start = fieldValue(form, "start_date"), end = fieldValue(form, "end_date");
    if (!/^\d{4}-\d{2}-\d{2}$/.test(start) || !/^\d{4}-\d{2}-\d{2}$/.test(end)) { return true; }
    var s = new Date(start + "T00:00:00Z"), e = new Date(end + "T00:00:00Z");
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
        var show = rule[0] === "period" ? periodIs(form, rule[1]) : fieldValue(form, rule[0]) === rule[1];
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
