/* The search page's client: folds the query, cuts it into terms and reads only the index files they
 * need, as villagesite's indexer wrote them (villagesite/search/terms.py: the same rules, kept in step
 * by tests/test_search.py).  Every word a visitor reads comes from the page's data- attributes.
 */
(function () {
  "use strict";

  var form = document.querySelector("form[data-search-index]");
  if (!form || !window.fetch || !String.prototype.normalize) return;

  var TOKEN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{3134f}]+|[a-z0-9]+/gu;
  var SCORE = [0, 1, 4, 10]; // by weight: text, name, title
  var PAGE = 20;
  var base = form.getAttribute("data-search-index");
  var input = form.querySelector("input[name=q]");
  var status = document.querySelector("[data-search-status]");
  var list = document.querySelector("[data-search-results]");
  var more = document.querySelector("[data-search-more]");
  var browse = document.querySelector("[data-search-browse]");
  var say = status.dataset;

  var meta = null;
  var fold = new Map();
  var shards = new Map();
  var documents = new Map();
  var found = [];
  var shown = 0;
  var asked = 0;

  function load(path) {
    return fetch(base + path + "?v=" + meta.stamp).then(function (response) {
      if (!response.ok) throw new Error(path + ": " + response.status);
      return response.json();
    });
  }

  function ready() {
    if (meta) return Promise.resolve();
    return fetch(base + "meta.json", { cache: "no-cache" })
      .then(function (response) {
        if (!response.ok) throw new Error("meta.json: " + response.status);
        return response.json();
      })
      .then(function (loaded) {
        var pairs = Array.from(loaded.fold);
        for (var i = 0; i + 1 < pairs.length; i += 2) fold.set(pairs[i], pairs[i + 1]);
        meta = loaded;
      });
  }

  function folded(text) {
    var plain = text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
    var out = "";
    for (var ch of plain) out += fold.get(ch) || ch;
    return out;
  }

  function han(token) {
    return token.codePointAt(0) >= 0x3400;
  }

  function shardOf(term) {
    var key = han(term) ? String.fromCodePoint(term.codePointAt(0)) : term.slice(0, 2);
    var value = 0x811c9dc5;
    for (var ch of key) value = Math.imul(value ^ ch.codePointAt(0), 0x01000193) >>> 0;
    return value % meta.shards;
  }

  function shard(term) {
    var n = shardOf(term);
    if (!shards.has(n)) shards.set(n, load("s/" + n + ".json"));
    return shards.get(n);
  }

  /* Document -> score for one part of the query: a Chinese term exactly, a word as a prefix. */
  function part(term, prefix) {
    return shard(term).then(function (terms) {
      var scores = new Map();
      var names = prefix ? Object.keys(terms).filter(function (t) { return t.startsWith(term); }) : [term];
      names.forEach(function (name) {
        var postings = terms[name];
        if (!postings) return;
        var exact = name === term ? 1 : 0.8;
        var document = 0;
        postings.forEach(function (entry) {
          document += entry >> 2;
          var score = SCORE[entry & 3] * exact;
          if ((scores.get(document) || 0) < score) scores.set(document, score);
        });
      });
      return scores;
    });
  }

  /* The parts of one reading of the query: every pair of Chinese characters (or the one character),
   * every word. */
  function parts(tokens) {
    var out = [];
    tokens.forEach(function (token) {
      if (!han(token)) return out.push(part(token, true));
      var chars = Array.from(token);
      if (chars.length === 1) return out.push(part(token, false));
      for (var i = 0; i + 1 < chars.length; i++) out.push(part(chars[i] + chars[i + 1], false));
    });
    return Promise.all(out).then(function (all) {
      if (!all.length) return new Map();
      var total = all[0];
      all.slice(1).forEach(function (scores) {
        var next = new Map();
        total.forEach(function (score, document) {
          if (scores.has(document)) next.set(document, score + scores.get(document));
        });
        total = next;
      });
      return total;
    });
  }

  /* Readings: the words as typed, and spaced pinyin joined (feng jian -> fengjian). */
  function search(query) {
    var tokens = folded(query).match(TOKEN) || [];
    var readings = [tokens];
    var words = tokens.filter(function (t) { return !han(t); });
    if (words.length > 1) readings.push(tokens.filter(han).concat([words.join("")]));
    return Promise.all(readings.map(parts)).then(function (results) {
      var best = new Map();
      results.forEach(function (scores) {
        scores.forEach(function (score, document) {
          if ((best.get(document) || 0) < score) best.set(document, score);
        });
      });
      return { tokens: tokens, ranked: Array.from(best).sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; }) };
    });
  }

  function documentOf(number) {
    if (!documents.has(number)) documents.set(number, load("d/" + number + ".json"));
    return documents.get(number);
  }

  function escape(text) {
    return text.replace(/[&<>"]/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c];
    });
  }

  /* Around the first match, the matches marked; where nothing matches (a pinyin query), the start. */
  function snippet(text, tokens) {
    var same = folded(text);
    var marks = [];
    tokens.forEach(function (token) {
      var at = same.indexOf(token);
      while (at !== -1 && marks.length < 50) {
        marks.push([at, at + token.length]);
        at = same.indexOf(token, at + token.length);
      }
    });
    marks.sort(function (a, b) { return a[0] - b[0]; });
    var start = marks.length ? Math.max(0, marks[0][0] - 30) : 0;
    var end = Math.min(text.length, start + 120);
    var out = start > 0 ? "…" : "";
    var at = start;
    marks.forEach(function (mark) {
      if (mark[0] < at || mark[1] > end) return;
      out += escape(text.slice(at, mark[0])) + "<mark>" + escape(text.slice(mark[0], mark[1])) + "</mark>";
      at = mark[1];
    });
    return out + escape(text.slice(at, end)) + (end < text.length ? "…" : "");
  }

  function card(document, tokens) {
    var item = window.document.createElement("li");
    item.className = "result result-" + document.k;
    item.innerHTML =
      '<a href="' + escape(document.u) + '"><h2 class="result-title">' + escape(document.t) + "</h2>" +
      (document.m ? '<span class="result-meta">' + escape(document.m) + "</span>" : "") +
      '<p class="result-snippet">' + snippet(document.x, tokens) + "</p></a>";
    return item;
  }

  function showMore(tokens, ticket) {
    var next = found.slice(shown, shown + PAGE);
    shown += next.length;
    return Promise.all(next.map(function (entry) { return documentOf(entry[0]); })).then(function (loaded) {
      if (ticket !== asked) return;
      loaded.forEach(function (document) { list.appendChild(card(document, tokens)); });
      more.hidden = shown >= found.length;
      form.dataset.shown = shown; // for tests and page scripts: what the list holds now
    });
  }

  function run() {
    var query = input.value.trim();
    var ticket = ++asked;
    var address = new URL(window.location.href);
    if (query) address.searchParams.set("q", query);
    else address.searchParams.delete("q");
    window.history.replaceState(null, "", address);
    if (!query) {
      list.innerHTML = "";
      list.hidden = true;
      more.hidden = true;
      browse.hidden = false;
      status.textContent = "";
      return Promise.resolve();
    }
    return ready()
      .then(function () { return search(query); })
      .then(function (result) {
        if (ticket !== asked) return;
        delete form.dataset.shown; // set again once this query's first results are in the list
        form.dataset.searched = query;
        found = result.ranked;
        shown = 0;
        list.innerHTML = "";
        list.hidden = !found.length;
        browse.hidden = found.length > 0; // nothing found: the villages to browse instead
        status.textContent = found.length
          ? say.count.replace("{count}", found.length)
          : say.none.replace("{query}", query);
        return showMore(result.tokens, ticket);
      })
      .catch(function () {
        if (ticket === asked) status.textContent = say.error;
      });
  }

  var timer = 0;
  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(run, 120);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(timer);
    run();
  });
  more.addEventListener("click", function () {
    var tokens = folded(input.value.trim()).match(TOKEN) || [];
    showMore(tokens, asked);
  });
  var asked0 = new URL(window.location.href).searchParams.get("q");
  if (asked0) {
    input.value = asked0;
    run();
  }
})();
