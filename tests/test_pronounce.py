"""How names are said: the readings shown above and below each character, and reading time."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import run_cli, village

from villagesite.pronounce import plain, spell
from villagesite.reading_time import count, minutes

# Every example village's name, as a Mandarin and a Cantonese speaker say it (checked by hand).
GOLDEN = {
    "必背瑶寨": ("bì bèi yáo zhài", "bit1 bui3 jiu4 zaai6"),
    "逢简村": ("féng jiǎn cūn", "fung4 gaan2 cyun1"),
    "林寨古村": ("lín zhài gǔ cūn", "lam4 zaai6 gu2 cyun1"),
    "龙湖古寨": ("lóng hú gǔ zhài", "lung4 wu4 gu2 zaai6"),
    "南岗千年瑶寨": ("nán gǎng qiān nián yáo zhài", "naam4 gong1 cin1 nin4 jiu4 zaai6"),
    "前美村": ("qián měi cūn", "cin4 mei5 cyun1"),
    "侨乡村": ("qiáo xiāng cūn", "kiu4 hoeng1 cyun1"),
    "三联村": ("sān lián cūn", "saam1 lyun4 cyun1"),
    "沙湾古镇": ("shā wān gǔ zhèn", "saa1 waan1 gu2 zan3"),
    "石古坪村": ("shí gǔ píng cūn", "sek6 gu2 ping4 cyun1"),
    "油岭老排村": ("yóu lǐng lǎo pái cūn", "jau4 ling5 lou5 paai4 cyun1"),
    "珠玑古巷": ("zhū jī gǔ xiàng", "zyu1 gei1 gu2 hong6"),
    "自力村": ("zì lì cūn", "zi6 lik6 cyun1"),
    # The words the libraries misread, corrected by the shipped table.
    "河涌": ("hé chōng", "ho4 cung1"),
    "大涌": ("dà chōng", "daai6 cung1"),
    "沙井蚝": ("shā jǐng háo", "saa1 zeng2 hou4"),
    "梅县": ("méi xiàn", "mui4 jyun6"),
    # Polyphones read as place names.
    "番禺": ("pān yú", "pun1 jyu4"),
    "大埔": ("dà bù", "daai6 bou3"),
    "乐昌": ("lè chāng", "lok6 coeng1"),
}


@pytest.mark.parametrize("name", GOLDEN)
def test_each_character_gets_its_pinyin_and_jyutping(name):
    spelled = spell(name, ("pinyin", "jyutping"))
    assert "".join(piece.text for piece in spelled) == name
    assert " ".join(piece.readings[0] for piece in spelled) == GOLDEN[name][0]
    assert " ".join(piece.readings[1] for piece in spelled) == GOLDEN[name][1]


def test_a_written_reading_wins_and_teochew_is_shown_only_when_written():
    spelled = spell(
        "前美村", ("pinyin", "teochew"), written={"pinyin": "qián měi cūn", "teochew": "tsoiⁿ5 bhue2 tshung1"}
    )
    assert [piece.readings for piece in spelled] == [("qián", "tsoiⁿ5"), ("měi", "bhue2"), ("cūn", "tshung1")]
    assert [piece.readings for piece in spell("前美村", ("teochew",))] == [("",), ("",), ("",)]


def test_latin_letters_and_spaces_are_kept_without_readings():
    spelled = spell("A区 逢简", ("pinyin",))
    assert [(piece.text, piece.readings) for piece in spelled] == [
        ("A", ()),
        ("区", ("qū",)),
        (" ", ()),
        ("逢", ("féng",)),
        ("简", ("jiǎn",)),
    ]


def test_the_line_after_an_english_name_is_pinyin_as_place_names_are_written():
    assert plain(spell("逢简村", ("pinyin",))) == "Féngjiǎn Cūn"
    assert plain(spell("沙湾古镇", ("pinyin",)), tones=False) == "Shawan Guzhen"
    assert plain(spell("广东省", ("pinyin",)), tones=False) == "Guangdong Sheng"
    assert plain(spell("番禺", ("pinyin",)), tones=False) == "Panyu"
    assert plain(spell("村", ("pinyin",)), tones=False) == "Cun"  # a generic word alone is the name
    assert plain(spell("前美村", ("teochew",))) == ""  # not written: nothing to show


@pytest.mark.parametrize(
    ("html", "han", "words"),
    [
        ("<p>逢简村，水乡。</p>", 5, 0),  # punctuation is not read
        ("<p>Visit 逢简 by boat, it's 3 km.</p>", 2, 6),
        ("<p>正文</p><pre><code>不算 these</code></pre><p>inline <code>x = 1</code> 代码</p>", 4, 1),
        (
            "<table><tr><td>开放时间</td></tr></table><figure><img alt='图'><figcaption>图注不算</figcaption></figure>",
            0,
            0,
        ),
        ("<h1><ruby>逢<rp>(</rp><rt>féng</rt><rp>)</rp></ruby></h1>", 1, 0),
        ("<p>a&amp;b &lt;不是标签&gt;</p>", 4, 2),
        ("<p>村口Hakka围屋，2 层𠀋楼&#26449;x</p>", 8, 3),  # a word between Han runs; beyond the basic plane
    ],
)
def test_reading_time_counts_han_characters_and_latin_words_of_the_prose(html, han, words):
    assert count(html) == (han, words)


def test_reading_time_is_300_characters_and_200_words_a_minute_rounded_up():
    assert minutes("") == 0
    assert minutes("<p>" + "村" * 300 + "</p>") == 1
    assert minutes("<p>" + "村" * 301 + "</p>") == 2
    assert minutes("<p>" + "村" * 150 + " word" * 100 + "</p>") == 1
    assert minutes("<p>" + "word " * 201 + "</p>") == 2


def test_a_written_reading_that_does_not_fit_the_title_is_an_error_at_its_line(site):
    root = site(
        {
            "content/villages/fengjian/index.md": village(
                "逢简村", extra="pronounce:\n  pinyin: féng jiǎn\n  jyutping: yes please\n  cantonese: fung4\n"
            ),
        }
    )
    result = run_cli("check", "--site", root)
    assert result.code == 1
    assert result.err.splitlines() == [
        "content/villages/fengjian/index.md:8: pronounce.pinyin: 'féng jiǎn' has 2 syllables;"
        " the title '逢简村' has 3 Chinese characters (one syllable per character, separated by spaces,"
        " e.g. '逢简村' -> 'féng jiǎn cūn'; or true/false to show or hide)",
        "content/villages/fengjian/index.md:9: pronounce.jyutping: 'yes please' has 2 syllables;"
        " the title '逢简村' has 3 Chinese characters (one syllable per character, separated by spaces,"
        " e.g. '逢简村' -> 'féng jiǎn cūn'; or true/false to show or hide)",
        "content/villages/fengjian/index.md:10: pronounce.cantonese: is not a known field here",
        "3 errors",
    ]


def test_the_site_names_the_systems_it_shows(site):
    root = site({"site.yaml": "title: 测试古村\npronunciation: [pinyin, cantonse]\n"})
    result = run_cli("check", "--site", root)
    assert result.code == 1
    assert result.err.splitlines()[0] == (
        "site.yaml:2: pronunciation[1]: 'cantonse' is not one of pinyin, jyutping, teochew, hakka"
        " (e.g. pronunciation: [pinyin, jyutping])"
    )


def test_the_site_chooses_the_systems_and_can_turn_them_off(site):
    pages = {"content/villages/fengjian/index.md": village("逢简村", extra="pronounce: {hakka: fung2 gan2 cun1}\n")}
    h1 = {}
    for setting in ("", "pronunciation: [pinyin]\n", "pronunciation: []\n"):
        root = site({"site.yaml": f"title: 测试古村\n{setting}", **pages})
        assert run_cli("build", "--site", root).code == 0
        page = (root / "output/villages/fengjian/index.html").read_text(encoding="utf-8")
        h1[setting] = page.split("<h1>")[1].split("</h1>")[0]
    default, pinyin_only, none = h1.values()
    # Pinyin above; below, Jyutping (a Cantonese village) and the Hakka the page writes: two rows at most.
    assert 'class="say-pinyin">féng' in default and 'class="say-jyutping">fung4' in default
    assert "say-hakka" not in default
    assert 'class="say-pinyin">féng' in pinyin_only and "say-jyutping" not in pinyin_only
    assert none == "逢简村"


def test_many_names_are_read_in_a_child_with_the_same_jyutping_as_one_by_one():
    """A build's batch of names is read by ToJyutping in a child process (its 70 MB trie never joins the
    build's memory); what it reads is what reading each name here gives.  The thread that wrote the
    names to it is gone once they are read: rendering forks its workers only from a single thread."""
    names = [
        f"{place}{kind}"
        for place in ("逢简", "沙湾", "碧江", "松塘", "烟桥")
        for kind in ("村", "镇", "祠堂", "古桥", "河涌")
    ]
    script = (
        "import json, sys, threading, time\n"
        "from villagesite import readings\n"
        # The thread writing the names lingers a moment after closing the pipe: it must be waited for.
        "class Lingering:\n"
        "    def __init__(self, pipe): self.pipe = pipe\n"
        "    def write(self, text): return self.pipe.write(text)\n"
        "    def __enter__(self): return self\n"
        "    def __exit__(self, *exc): self.pipe.close(); time.sleep(0.3)\n"
        "make = readings._child\n"
        "def child():\n"
        "    made = make(); made.stdin = Lingering(made.stdin); return made\n"
        "readings._child = child\n"
        "readings.start_child_early(); time.sleep(1.5)\n"  # it has loaded ToJyutping: it answers at once
        f"readings.read_jyutping({names!r})\n"
        "loaded = 'ToJyutping' in sys.modules\n"
        "threads = threading.active_count()\n"
        f"print(json.dumps([loaded, threads, [readings.jyutping(n) for n in {names!r}]]))\n"
    )
    batch = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    loaded, threads, read = json.loads(batch.stdout)
    assert not loaded  # the parent never imported it
    assert threads == 1
    one_by_one = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import json\nfrom villagesite import readings\nprint(json.dumps([readings.jyutping(n) for n in {names!r}]))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert read == json.loads(one_by_one.stdout)
    assert read[names.index("逢简村")] == ["fung4", "gaan2", "cyun1"]


def test_a_cold_build_starts_the_jyutping_child_early_and_leaves_no_process_behind(site, monkeypatch):
    from villagesite import readings

    started: list[subprocess.Popen[str]] = []
    make = readings._child

    def recorded() -> subprocess.Popen[str] | None:
        child = make()
        if child is not None:
            started.append(child)
        return child

    monkeypatch.setattr(readings, "_child", recorded)
    monkeypatch.setattr(readings, "_memo", {table: {} for table in readings.TABLES})
    monkeypatch.delitem(sys.modules, "ToJyutping", raising=False)  # as in a new process: other tests read here
    root = site({"content/villages/fengjian/index.md": village("逢简村")})
    assert run_cli("build", "--site", root, "--clean").code == 0
    assert len(started) == 1 and started[0].poll() == 0  # started while the content was read; done
    html = (root / "output/villages/fengjian/index.html").read_text(encoding="utf-8")
    assert "fung4" in html and "gaan2" in html
    # Started and never given names (a build that stops before it renders): it ends with the build.
    monkeypatch.setattr(readings, "_memo", {table: {} for table in readings.TABLES})
    with readings.early_child():
        readings.start_child_early()
    assert len(started) == 2 and started[1].poll() == 0


def test_the_same_place_name_is_said_as_each_page_asks(site):
    """One city on four pages: Jyutping under it on a Cantonese village's page and on a page that asks
    for it, pinyin alone on the Hakka villages' pages, whichever page said it first."""
    root = site(
        {
            "content/villages/a/index.md": village("逢简村"),
            "content/villages/b/index.md": village("客家村", style="hakka", lat=22.9),
            "content/villages/c/index.md": village(
                "客粤村", style="hakka", lat=23.0, extra="pronounce: {jyutping: true}\n"
            ),
            "content/villages/d/index.md": village("石头村", style="hakka", lat=23.1),
        }
    )
    assert run_cli("build", "--site", root).code == 0

    def place_line(folder: str) -> str:
        page = (root / f"output/villages/{folder}/index.html").read_text(encoding="utf-8")
        return page.split("<dt>地点</dt><dd>")[1].split("</dd>")[0]

    said = {folder: place_line(folder) for folder in "abcd"}
    for line in said.values():
        assert '<ruby>佛<rp>(</rp><rt class="say-pinyin">fó</rt>' in line
    assert 'class="say-jyutping">fat6</rt>' in said["a"] and 'class="say-jyutping">fat6</rt>' in said["c"]
    assert "say-jyutping" not in said["b"] and "say-jyutping" not in said["d"]
