// The broadcast's live preview: the text as it will go (plain text, so textContent; no HTML).
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("textarea[data-preview]").forEach(function (area) {
    var target = document.getElementById(area.getAttribute("data-preview"));
    if (!target) return;
    var show = function () { target.textContent = area.value; };
    area.addEventListener("input", show);
    show();
  });
});
