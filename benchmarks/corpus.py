"""A generated corpus of text-only villages, for build benchmarks: deterministic, realistic in shape.

Each village has front matter like the example site's (style, city, county,
location, tags, attractions, specialties) and about 1,500 characters of
Chinese and English Markdown with headings, a list and a link to a neighbour.
Paragraphs are drawn sentence by sentence from pools of varied sentences, so
no two pages repeat one paragraph (a fast path could make that look faster
than real pages).  With ``translated``, every so many villages also have an
English translation (``index.en.md``), and site.yaml publishes the editions.
"""

from __future__ import annotations

import random
from pathlib import Path

CITIES = {
    "广州市": ["番禺区", "花都区", "从化区"],
    "佛山市": ["顺德区", "南海区", "三水区"],
    "江门市": ["开平市", "台山市"],
    "梅州市": ["梅县区", "大埔县", "兴宁市"],
    "潮州市": ["潮安区", "饶平县"],
    "汕头市": ["澄海区", "潮阳区"],
    "清远市": ["连南瑶族自治县", "连山壮族瑶族自治县"],
    "韶关市": ["南雄市", "乳源瑶族自治县"],
    "河源市": ["和平县", "龙川县"],
    "惠州市": ["惠东县", "博罗县"],
    "肇庆市": ["高要区", "德庆县"],
    "湛江市": ["雷州市", "徐闻县"],
}
STYLES = ["cantonese", "hakka", "teochew", "minority"]
TAGS = [
    "水乡",
    "碉楼",
    "侨乡",
    "围龙屋",
    "瑶寨",
    "古桥",
    "宗祠",
    "嵌瓷",
    "古道",
    "书院",
    "茶乡",
    "美食",
    "非遗",
    "古树",
    "骑楼",
    "镬耳屋",
    "土楼",
    "梯田",
    "渔村",
    "古井",
]
SYLLABLES = "东西南北上下新旧大小石水山林田塘龙凤云溪岭湖".replace("", " ").split()
SENTENCES = [
    "村落始建于明代，先民自中原南迁，沿河而居。",
    "祠堂、书室与民居依山就势排列，巷道纵横，青砖灰瓦保存完好。",
    "每逢节庆，村民舞狮、赛龙舟、唱山歌，老人在榕树下讲述家族迁徙的故事。",
    "村口的古榕树已有三百多年，树下是村民纳凉、下棋的地方。",
    "清代中叶，族人外出经商，寄回的银两修建了书院和码头。",
    "围屋的外墙厚近一米，以三合土夯筑，曾抵御过多次匪患。",
    "屋脊上的嵌瓷用碎瓷片拼成花鸟人物，色彩历经百年仍然鲜艳。",
    "民国年间，华侨回乡兴学，村里办起了第一所新式小学。",
    "每年农历正月，全村按房派轮流祭祖，宴席摆满祠堂前的禾坪。",
    "田间的水渠引山泉灌溉，梯田层层叠叠，春插秋收。",
    "老街两侧是骑楼式的商铺，楼上住人，楼下卖杂货和凉茶。",
    "村民世代以种茶为业，清明前后采摘的头春茶最受欢迎。",
    "古井的井栏被绳索磨出了深深的沟痕，至今仍有人打水洗菜。",
    "1950年代修建的水库改变了村子的灌溉，也淹没了一段古道。",
    "近年来，返乡青年开办了民宿和手作工坊，游客渐渐多了起来。",
    "传统的木雕、石雕和灰塑集中在宗祠的门楼和梁架上。",
    "村中保存着族谱和契约文书，记录了数百年的田产与婚姻往来。",
    "雨季时溪水上涨，石板桥是进出村子唯一的通道。",
]
ENGLISH_SENTENCES = [
    "The village grew along a river during the Ming dynasty.",
    "Ancestral halls, study halls and houses follow the slope of the hill.",
    "Festivals bring lion dances, dragon boats and folk songs.",
    "An old banyan at the entrance shades the elders' afternoon games of chess.",
    "Merchants who traded abroad in the Qing dynasty paid for the academy and the pier.",
    "The walls of the round house are almost a metre thick, rammed from lime, sand and clay.",
    "Porcelain shards on the ridges form flowers, birds and figures that still shine after a century.",
    "Returning overseas Chinese opened the first modern school here in the 1920s.",
    "Terraced fields climb the valley, watered by channels from a mountain spring.",
    "Young people who came home have opened guesthouses and craft workshops.",
    "Carved wood, stone and plaster decorate the gate of the ancestral hall.",
    "In the rainy season the stream rises and the stone bridge is the only way in.",
]


def village_markdown(index: int, count: int, rnd: random.Random) -> str:
    city = rnd.choice(sorted(CITIES))
    style = STYLES[index % 4]
    name = "".join(rnd.choice(SYLLABLES) for _ in range(2)) + "村"
    neighbour = f"v{(index + 1) % count:05d}"
    tags = rnd.sample(TAGS, 3)
    ethnic = "ethnic_group: 瑶族\n" if style == "minority" else ""
    front = (
        f"---\ntitle: {name}{index}\ntitle_en: Village {index}\nstyle: {style}\n{ethnic}city: {city}\n"
        f"county: {rnd.choice(CITIES[city])}\nlocation: {{lat: {21.5 + rnd.random() * 3.5:.4f}, "
        f"lon: {110.5 + rnd.random() * 6:.4f}}}\nsummary: {name}是一座{city}的古村，{rnd.choice(SENTENCES)[:30]}\n"
        f"founded: 明代\ndesignations: [中国传统村落]\ntags: [{', '.join(tags)}]\n"
        "attractions:\n  - {name: 祠堂, description: 村中最大的祠堂。}\n"
        "  - {name: 古桥, description: 三孔石桥。}\n"
        f"specialties:\n  - {{name: 米酒, description: 农家酿造。, season: 冬季}}\n"
        f"visit: {{opening_hours: 全天开放, tickets: 免费, transport: 乘公交到村口。}}\ndate: 2026-01-01\n---\n\n"
    )
    body = (
        f"## 历史\n\n{_paragraph(rnd, 9)}\n\n{_paragraph(rnd, 5)}\n\n## 建筑\n\n{_paragraph(rnd, 8)}\n\n"
        "- 祠堂\n- 书室\n- 古井\n\n"
        f"## History\n\n{_paragraph(rnd, 4, ENGLISH_SENTENCES)}\n\n"
        f"相邻的村子见[第{(index + 1) % count}村](../{neighbour}/)。\n"
    )
    return front + body


def _paragraph(rnd: random.Random, sentences: int, pool: list[str] = SENTENCES) -> str:
    """Sentences drawn from ``pool``: every page's paragraphs differ."""
    joiner = " " if pool is ENGLISH_SENTENCES else ""
    return joiner.join(rnd.choice(pool) for _ in range(sentences))


def translation_markdown(index: int, count: int, rnd: random.Random) -> str:
    """An English translation of village ``index``: its words, not its facts; about 1,000 characters."""
    neighbour = f"v{(index + 1) % count:05d}"
    front = (
        f"---\ntitle: Village {index}\nsummary: An old village of Guangdong, {ENGLISH_SENTENCES[index % 12][:40]}\n"
        "attractions:\n  - {name: Ancestral hall, description: The largest hall of the village.}\n"
        "  - {name: Old bridge, description: A three-arch stone bridge.}\n"
        "specialties:\n  - {name: Rice wine, description: Brewed by farm families., season: Winter}\n---\n\n"
    )
    body = (
        f"## History\n\n{_paragraph(rnd, 5, ENGLISH_SENTENCES)}\n\n## Buildings\n\n"
        f"{_paragraph(rnd, 4, ENGLISH_SENTENCES)}\n\n- Ancestral hall\n- Study hall\n- Old well\n\n"
        f"See [the next village](../{neighbour}/).\n"
    )
    return front + body


def write_corpus(root: Path, count: int, seed: int = 1, translated: int = 0) -> Path:
    """A site folder with ``count`` villages; one in ``translated`` (if any) with an English translation."""
    rnd = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    (root / "site.yaml").write_text("title: 基准测试\nbase_url: /\n", encoding="utf-8")
    for index in range(count):
        folder = root / "content" / "villages" / f"v{index:05d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "index.md").write_text(village_markdown(index, count, rnd), encoding="utf-8")
        if translated and index % translated == 0:
            (folder / "index.en.md").write_text(translation_markdown(index, count, rnd), encoding="utf-8")
    return root
