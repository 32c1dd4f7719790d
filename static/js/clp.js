// Moves focus to the error summary so keyboard and screen-reader users hear what went wrong.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector(".error-summary");
  if (summary) { summary.focus(); }
});

// A "carry on later" link keeps its token after "#", which browsers never send to the server (so
// it is in no log): put it in the page's form, take it out of the address bar, and send it.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("form[data-resume-from-hash]");
  if (!form || window.location.hash.length < 2) { return; }
  form.querySelector("input[name=link]").value = window.location.hash.slice(1);
  window.history.replaceState(null, "", window.location.pathname);
  form.submit();
});
