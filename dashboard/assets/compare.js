// The Compare page is drawn again from its URL after every change of a control, which replaces
// the controls. Put the keyboard focus back on the control that had it, so a keyboard user keeps
// their place instead of starting again at the top of the page.
(function () {
  var last = null;

  function selectorOf(element) {
    if (element.id) {
      return "#" + CSS.escape(element.id);
    }
    var group = element.closest("[id]");
    if (group && element.value) {
      return "#" + CSS.escape(group.id) + " input[value='" + CSS.escape(element.value) + "']";
    }
    return null;
  }

  document.addEventListener("focusin", function (event) {
    var inControls = event.target.closest && event.target.closest(".compare-controls");
    last = inControls ? { selector: selectorOf(event.target), element: event.target } : null;
  });

  new MutationObserver(function () {
    if (!last || !last.selector || last.element.isConnected) {
      return;
    }
    var focused = document.activeElement;
    if (focused && focused !== document.body) {
      return;
    }
    var again = document.querySelector(last.selector);
    if (again) {
      again.focus();
      last = { selector: last.selector, element: again };
    }
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
