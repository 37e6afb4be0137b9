// The directory's filter panel: on a phone it starts closed behind its "Filters" button,
// so the results come first. Without this script the panel stays open after the results.
(function () {
  "use strict";
  var phone = window.matchMedia("(max-width: 800px)");
  function fit(panel) {
    panel.open = !phone.matches;
  }
  document.addEventListener("DOMContentLoaded", function () {
    var panel = document.querySelector("details.filters-panel");
    if (!panel) { return; }
    panel.classList.add("js-panel");
    fit(panel);
    phone.addEventListener("change", function () { fit(panel); });
  });
})();
