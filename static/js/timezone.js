// Account settings: offer the browser's own time zone (no inline script, so the CSP holds).
// When the "Time zone" field is empty it preselects the browser's zone, and it always says
// which zone the browser reports, so the person can compare before saving.
(function () {
  "use strict";
  function start() {
    var select = document.querySelector("select[data-browser-zone]");
    var note = document.getElementById("browser-zone-note");
    if (!select || !window.Intl || !Intl.DateTimeFormat) return;
    var zone;
    try {
      zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    } catch (e) {
      return;
    }
    if (!zone) return;
    var offered = Array.prototype.some.call(select.options, function (option) {
      return option.value === zone;
    });
    if (!select.value && offered) select.value = zone;
    if (note) {
      note.textContent = (note.getAttribute("data-template") || "{zone}").replace("{zone}", zone);
      note.hidden = false;
      var described = (select.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      if (described.indexOf(note.id) < 0) described.push(note.id);
      select.setAttribute("aria-describedby", described.join(" "));
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
