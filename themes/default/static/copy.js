// Copy buttons (a WeChat ID) and share buttons (a page's link): shown only where they can work; the ID
// and the link stay readable, to copy by hand, without them.
(function () {
  function copied(button, text) {
    var label = button.textContent;
    return navigator.clipboard.writeText(text).then(function () {
      button.textContent = button.dataset.copied;
      setTimeout(function () { button.textContent = label; }, 2000);
    });
  }
  document.querySelectorAll("button[data-share]").forEach(function (button) {
    var link = { title: button.dataset.title, url: button.dataset.share };
    if (navigator.share) {
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.share(link).catch(function () {}); // closed without sharing: nothing to say
      });
    } else if (navigator.clipboard) {
      button.textContent = button.dataset.copyLabel;
      button.hidden = false;
      button.addEventListener("click", function () { copied(button, link.url); });
    }
  });
  if (!navigator.clipboard) return;
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { copied(button, button.dataset.copy); });
  });
})();
