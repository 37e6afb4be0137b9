// Type-ahead over a long list of checkboxes ([data-picker]): a filter box hides the
// options that do not match. Without this script the checkboxes are all shown.
(function () {
  "use strict";
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLocaleLowerCase();
  }
  function setUp(picker, index) {
    var list = picker.querySelector(".picker-list");
    if (!list) { return; }
    var items = Array.prototype.slice.call(list.querySelectorAll("li"));
    var id = "picker-filter-" + index;
    var label = document.createElement("label");
    label.setAttribute("for", id);
    label.className = "picker-label";
    label.textContent = picker.getAttribute("data-filter-label") || "Filter";
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.autocomplete = "off";
    input.className = "picker-filter";
    var none = document.createElement("p");
    none.className = "help picker-none";
    none.setAttribute("role", "status");
    list.parentNode.insertBefore(label, list);
    list.parentNode.insertBefore(input, list);
    list.parentNode.insertBefore(none, list.nextSibling);
    input.addEventListener("input", function () {
      var query = fold(input.value.trim());
      var shown = 0;
      items.forEach(function (item) {
        var box = item.querySelector("input");
        var match = !query || fold(item.textContent).indexOf(query) !== -1 ||
          (box && box.value.toLowerCase() === query);
        item.hidden = !match;
        if (match) { shown += 1; }
      });
      none.textContent = shown ? "" : (picker.getAttribute("data-none-label") || "");
    });
    // Enter in the filter box must not submit the whole form.
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); }
    });
  }
  // The same for one long <select> ([data-picker-select]): a filter box above it hides
  // the options that do not match; the chosen one always stays.
  function setUpSelect(select, index) {
    var options = Array.prototype.slice.call(select.options);
    var id = "picker-select-filter-" + index;
    var label = document.createElement("label");
    label.setAttribute("for", id);
    label.className = "picker-label";
    label.textContent = select.getAttribute("data-filter-label") || "Filter";
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.autocomplete = "off";
    input.className = "picker-select-filter";
    select.parentNode.insertBefore(label, select);
    select.parentNode.insertBefore(input, select);
    input.addEventListener("input", function () {
      var query = fold(input.value.trim());
      var first = null;
      options.forEach(function (option) {
        var match = !query || fold(option.textContent).indexOf(query) !== -1 ||
          option.value.toLowerCase() === query;
        option.hidden = !match && !option.selected;
        if (match && option.value && first === null) { first = option; }
      });
      // One match left: take it, as people expect of a type-ahead.
      var matches = options.filter(function (o) { return !o.hidden && o.value; });
      if (query && matches.length === 1) { select.value = matches[0].value; }
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-picker]").forEach(setUp);
    document.querySelectorAll("select[data-picker-select]").forEach(setUpSelect);
  });
})();
