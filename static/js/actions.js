// Action plan: keep keyboard focus on the button just used to move a priority, and let mouse
// users drag priorities into order. The "Move up" / "Move down" buttons work without this file.
(function () {
  "use strict";

  function refocusAfterMove() {
    var params = new URLSearchParams(window.location.search);
    var moved = params.get("moved");
    if (!moved) { return; }
    var item = document.getElementById("priority-" + moved);
    if (!item) { return; }
    var button = item.querySelector('[data-move="' + params.get("dir") + '"]') ||
      item.querySelector("[data-move]") || item.querySelector("h3");
    button.focus();
  }

  function save(list, status) {
    var form = document.getElementById("reorder-form");
    var data = new FormData(form);
    var order = Array.prototype.map.call(list.querySelectorAll("li[data-id]"), function (li) {
      return li.getAttribute("data-id");
    });
    data.append("section", list.getAttribute("data-section"));
    data.append("order", order.join(","));
    status.textContent = "Saving the new order…";
    fetch(list.getAttribute("data-reorder-url"), {
      method: "POST", body: data, credentials: "same-origin",
      headers: {"X-Requested-With": "fetch"}
    }).then(function () {
      // The server keeps quick wins first and writes the history: show its order.
      window.location.reload();
    });
  }

  function enableDragging(list, status) {
    var dragged = null;
    list.querySelectorAll("li[data-id]").forEach(function (item) {
      item.setAttribute("draggable", "true");
      item.classList.add("is-draggable");
      item.addEventListener("dragstart", function (event) {
        dragged = item;
        item.classList.add("is-dragging");
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", item.getAttribute("data-id"));
      });
      item.addEventListener("dragover", function (event) {
        if (!dragged || dragged === item) { return; }
        event.preventDefault();
        var box = item.getBoundingClientRect();
        var after = event.clientY > box.top + box.height / 2;
        list.insertBefore(dragged, after ? item.nextSibling : item);
      });
      item.addEventListener("drop", function (event) { event.preventDefault(); });
      item.addEventListener("dragend", function () {
        item.classList.remove("is-dragging");
        if (dragged) { dragged = null; save(list, status); }
      });
    });
  }

  // After the browser has scrolled to the #priority-… fragment, which can reset focus.
  window.addEventListener("load", function () { window.setTimeout(refocusAfterMove, 0); });

  document.addEventListener("DOMContentLoaded", function () {
    var status = document.getElementById("reorder-status");
    document.querySelectorAll("ol[data-reorder-url]").forEach(function (list) {
      enableDragging(list, status);
    });
  });
})();
