// Ask before a destructive form is sent: a button with data-confirm="question".
// A static file (no inline script), so a Content-Security-Policy can forbid inline code.
document.addEventListener("click", function (event) {
  var button = event.target.closest("button[data-confirm]");
  if (button && !window.confirm(button.dataset.confirm)) {
    event.preventDefault();
  }
});
