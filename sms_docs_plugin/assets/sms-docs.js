// Print date on the uncontrolled-copy line: the day the page is printed, not the day it was built.
(function () {
  function stamp() {
    var today = new Date().toISOString().slice(0, 10);
    document.querySelectorAll(".sms-print-date").forEach(function (el) { el.textContent = today; });
  }
  window.addEventListener("beforeprint", stamp);
  if (window.matchMedia) {
    window.matchMedia("print").addEventListener("change", function (event) { if (event.matches) stamp(); });
  }
  document.addEventListener("DOMContentLoaded", stamp);
})();
