// Success messages get a close button. Without this script they simply stay.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector(".flashes");
    if (!box) { return; }
    var label = box.getAttribute("data-close-label") || "Dismiss";
    box.querySelectorAll(".flash-success").forEach(function (flash) {
      var text = document.createElement("span");
      text.className = "flash-text";
      while (flash.firstChild) { text.appendChild(flash.firstChild); }
      flash.appendChild(text);
      var button = document.createElement("button");
      button.type = "button";
      button.className = "flash-close";
      button.setAttribute("aria-label", label);
      button.textContent = "×";
      button.addEventListener("click", function () {
        flash.remove();
        if (!box.querySelector(".flash")) { box.remove(); }
      });
      flash.appendChild(button);
    });
  });
})();
