// Progressive enhancement: the page already says when a timed exam ends; this adds the time
// left, updated each second, and announces the last minute once to screen readers.
(function () {
  "use strict";
  var el = document.querySelector("[data-deadline]");
  if (!el) { return; }
  var deadline = Date.parse(el.getAttribute("data-deadline"));
  if (isNaN(deadline)) { return; }
  var out = document.createElement("span");
  out.className = "countdown";
  el.appendChild(document.createTextNode(" · "));
  el.appendChild(out);
  var warned = false;
  function tick() {
    var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    var m = Math.floor(left / 60), s = left % 60;
    out.textContent = left > 0 ? m + " min " + (s < 10 ? "0" : "") + s + " s left" : "time is up";
    if (left <= 60 && !warned) {
      warned = true;
      out.setAttribute("role", "status");
    }
    if (left > 0) { window.setTimeout(tick, 1000); }
  }
  tick();
})();
