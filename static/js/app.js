/* Admin Center: the little the pages need beyond HTML and CSS. Everything works without it. */
(function () {
  "use strict";
  // The header menu folds behind a button on narrow screens. Without this script the menu
  // simply stays open, so nobody is ever locked out of the navigation.
  function setUpMenu(header) {
    var button = header.querySelector(".menu-toggle");
    var menu = header.querySelector(".site-menu");
    if (!button || !menu) return;
    button.hidden = false;
    header.classList.add("menu-collapsible");
    function set(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      header.classList.toggle("menu-open", open);
    }
    button.addEventListener("click", function () {
      set(button.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && header.classList.contains("menu-open")) {
        set(false);
        button.focus();
      }
    });
  }
  // A table wider than the screen scrolls inside its frame; a frame that scrolls can be
  // reached with the keyboard and is announced by the table's name (as a group: a landmark
  // would repeat the name of the section around it).
  function markScrollers() {
    document.querySelectorAll(".table-wrap").forEach(function (wrap) {
      var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      if (scrolls && !wrap.hasAttribute("tabindex")) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "group");
        var heading = wrap.closest("section, main").querySelector("h1, h2");
        if (heading) wrap.setAttribute("aria-label", heading.textContent.trim());
      } else if (!scrolls && wrap.hasAttribute("tabindex")) {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-menu]").forEach(setUpMenu);
    markScrollers();
    var pending = null;
    window.addEventListener("resize", function () {
      clearTimeout(pending);
      pending = setTimeout(markScrollers, 150);
    });
    document.body.addEventListener("htmx:afterSwap", markScrollers);
  });
})();
