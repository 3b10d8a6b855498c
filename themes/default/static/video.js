// A creator's video that may play on the page (Bilibili, YouTube): the card links out until the visitor
// taps it; only then is the platform's player loaded, in place of the card. Nothing of the platform is
// asked for before the tap (privacy, and the weight of a page on a rural network).
(function () {
  document.querySelectorAll("a.video-out[data-player]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (event.ctrlKey || event.metaKey || event.shiftKey || event.button) return; // a new tab: the platform
      event.preventDefault();
      var frame = document.createElement("iframe");
      frame.src = link.dataset.player;
      frame.title = link.dataset.title;
      frame.className = "video-player";
      frame.allow = "autoplay; fullscreen; picture-in-picture; encrypted-media";
      frame.allowFullscreen = true;
      frame.referrerPolicy = "strict-origin-when-cross-origin";
      var box = document.createElement("div");
      box.className = "video-frame";
      box.appendChild(frame);
      var title = link.querySelector(".video-title"); // kept, out of the link that is no more
      link.parentNode.replaceChild(box, link);
      if (title) box.after(title);
      frame.focus();
    });
  });
})();
