// Django's two-box selector puts aria-label on a plain <span> (ARIA that axe reports as not
// allowed there): give the icon the "img" role, which makes its label valid. The selector is
// built by a "load" listener registered in the page's head, so this one runs after it.
window.addEventListener("load", function () {
  document.querySelectorAll("span.search-label-icon[aria-label]").forEach(function (icon) {
    icon.setAttribute("role", "img");
  });
});
