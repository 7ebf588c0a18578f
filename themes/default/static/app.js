// Progressive enhancement for the default theme. Every page works without this file.
// 1. Ctrl+Enter (Cmd+Enter on macOS) in a textarea submits its form.
// 2. Textareas with a maxlength get a live "n / max" character counter.
// 3. Code blocks that scroll sideways can take keyboard focus (so arrow keys scroll them); the
//    post HTML is sanitised on the server without tabindex, so it is added here.
(function () {
  "use strict";

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
    if (!target || target.tagName !== "TEXTAREA" || !target.form) return;
    event.preventDefault();
    var form = target.form;
    if (typeof form.requestSubmit === "function") {
      form.requestSubmit(); // runs submit handlers and includes the default submit button
    } else {
      var button = form.querySelector('button[type="submit"], button:not([type]), input[type="submit"]');
      if (button) button.click(); else form.submit();
    }
  });

  function attachCounter(textarea, index) {
    var max = parseInt(textarea.getAttribute("maxlength"), 10);
    if (!(max > 0)) return;
    var counter = document.createElement("p");
    counter.className = "char-counter";
    counter.id = (textarea.id || "textarea-" + index) + "-counter";
    textarea.insertAdjacentElement("afterend", counter);
    var described = textarea.getAttribute("aria-describedby");
    textarea.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);

    function update() {
      var used = textarea.value.length;
      var remaining = max - used;
      counter.textContent = used + " / " + max + " characters";
      var near = remaining <= Math.max(10, Math.floor(max * 0.1));
      // Only announce to screen readers once the limit is close, not on every keystroke.
      if (near) counter.setAttribute("aria-live", "polite"); else counter.removeAttribute("aria-live");
      counter.classList.toggle("is-over", remaining <= 0);
    }
    textarea.addEventListener("input", update);
    update();
  }

  function focusScrollingCode() {
    var blocks = document.querySelectorAll("pre");
    for (var i = 0; i < blocks.length; i++) {
      var pre = blocks[i];
      if (pre.scrollWidth > pre.clientWidth) {
        if (!pre.hasAttribute("tabindex")) {
          pre.setAttribute("tabindex", "0");
          pre.setAttribute("data-scroll-focus", "");
        }
      } else if (pre.hasAttribute("data-scroll-focus")) {
        pre.removeAttribute("tabindex");
        pre.removeAttribute("data-scroll-focus");
      }
    }
  }

  function init() {
    var areas = document.querySelectorAll("textarea[maxlength]");
    for (var i = 0; i < areas.length; i++) attachCounter(areas[i], i);
    focusScrollingCode();
    var pending = null;
    window.addEventListener("resize", function () {
      if (pending) clearTimeout(pending);
      pending = setTimeout(focusScrollingCode, 200);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
