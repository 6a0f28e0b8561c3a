// The main navigation's menus are <details> disclosures and work without this file. It only adds what a menu bar
// is expected to do: Escape closes the open menu (focus back on its title), a click elsewhere closes it.
(function () {
  "use strict";
  var nav = document.querySelector("nav.mainnav");
  if (!nav) { return; }
  function openMenus() { return nav.querySelectorAll("details.navgroup[open]"); }
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    openMenus().forEach(function (menu) {
      menu.open = false;
      if (menu.contains(document.activeElement)) { menu.querySelector("summary").focus(); }
    });
  });
  document.addEventListener("click", function (event) {
    openMenus().forEach(function (menu) {
      if (!menu.contains(event.target)) { menu.open = false; }
    });
  });
})();
