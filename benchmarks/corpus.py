"""A generated corpus of text-only villages, for build benchmarks: deterministic, realistic in shape.

Each village has front matter like the example site's (style, city, county,
location, tags, attractions, specialties) and about 1,500 characters of
Chinese and English Markdown with headings, a list and a link to a neighbour.
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
PARAGRAPH = (
    "村落始建于明代，先民自中原南迁，沿河而居。祠堂、书室与民居依山就势排列，巷道纵横，青砖灰瓦保存完好。"
    "每逢节庆，村民舞狮、赛龙舟、唱山歌，老人在榕树下讲述家族迁徙的故事。"
)
ENGLISH = (
    "The village grew along a river during the Ming dynasty. Ancestral halls, study halls and houses follow the "
    "slope of the hill, and festivals bring lion dances, dragon boats and folk songs."
)


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
        f"lon: {110.5 + rnd.random() * 6:.4f}}}\nsummary: {name}是一座{city}的古村，{PARAGRAPH[:30]}\n"
        f"founded: 明代\ndesignations: [中国传统村落]\ntags: [{', '.join(tags)}]\n"
        "attractions:\n  - {name: 祠堂, description: 村中最大的祠堂。}\n"
        "  - {name: 古桥, description: 三孔石桥。}\n"
        f"specialties:\n  - {{name: 米酒, description: 农家酿造。, season: 冬季}}\n"
        f"visit: {{opening_hours: 全天开放, tickets: 免费, transport: 乘公交到村口。}}\ndate: 2026-01-01\n---\n\n"
    )
    body = (
        f"## 历史\n\n{PARAGRAPH * 3}\n\n## 建筑\n\n{PARAGRAPH * 2}\n\n- 祠堂\n- 书室\n- 古井\n\n"
        f"## History\n\n{ENGLISH} {ENGLISH}\n\n相邻的村子见[第{(index + 1) % count}村](../{neighbour}/)。\n"
    )
    return front + body


def write_corpus(root: Path, count: int, seed: int = 1) -> Path:
    """A site folder with ``count`` villages; returns it."""
    rnd = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    (root / "site.yaml").write_text("title: 基准测试\nbase_url: /\n", encoding="utf-8")
    for index in range(count):
        folder = root / "content" / "villages" / f"v{index:05d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "index.md").write_text(village_markdown(index, count, rnd), encoding="utf-8")
    return root
