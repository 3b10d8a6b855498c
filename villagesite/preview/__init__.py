"""``villagesite serve``: build with drafts into a preview folder, serve it, rebuild on save, reload browsers.

Three parts, each on its own thread:

- the **watcher** (:mod:`.watch`) turns file events into batches of changed
  paths;
- the **builder** (:mod:`.driver`) builds each batch into the preview folder
  with one :class:`~villagesite.memory.BuildMemory`, so a save re-reads one
  file and renders the pages it reaches; the **hub** (:mod:`.hub`) then tells
  the browsers: reload, refresh the stylesheet, or show the error;
- the **server** (Tornado, under livereload's socket handler; :mod:`.http`)
  serves the preview folder and nothing else, to the ``Host`` names in
  :mod:`.hosts` only, and speaks the LiveReload protocol with a small script
  it adds to every HTML page it serves.

:mod:`.server` runs the three together, and :mod:`.terminal` words what the
editor sees.  Content never stops the server: a failed build keeps the last
good pages and shows its message over them, in the browser and in the
terminal.
"""

from __future__ import annotations

from .driver import Outcome, Preview
from .server import PreviewServer, serve

__all__ = ["Outcome", "Preview", "PreviewServer", "serve"]
