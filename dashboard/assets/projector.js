// Projector mode: the arrow keys and Page Up/Page Down step through a covenant's KPIs and Esc goes
// back to the covenant page. Each key clicks the visible link of the same name, so the keyboard
// does exactly what the on-screen buttons do (and the address changes with it).
(function () {
  var LINKS = {
    ArrowRight: "projector-next",
    PageDown: "projector-next",
    ArrowLeft: "projector-prev",
    PageUp: "projector-prev",
    Escape: "projector-back",
  };
  var TYPING = "input, textarea, select, [contenteditable=''], [contenteditable='true']";

  document.addEventListener("keydown", function (event) {
    var id = LINKS[event.key];
    if (!id || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) {
      return;
    }
    if (event.target.closest && event.target.closest(TYPING)) {
      return;
    }
    var link = document.getElementById(id);
    if (!link || !link.closest(".projector")) {
      return;
    }
    event.preventDefault();
    link.click();
  });
})();
