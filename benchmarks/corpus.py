"""A generated corpus of text-only villages, for build benchmarks: deterministic, realistic in shape.

Each village has front matter like the example site's (style, city, county,
location, tags, attractions, specialties) and a body of Chinese and English
Markdown.  Two corpora:

- ``realistic`` (the default): about 1,400 characters a page, every sentence
  made from word lists (times, people, deeds, buildings, what became of
  them), so no two pages and hardly two sentences are alike; **bold** and
  *emphasis*, English terms inside Chinese sentences, links to neighbours
  and to official sites, bulleted and numbered lists, a table in one page
  of four, an English section;
- ``sentences``: the earlier corpus, paragraphs drawn sentence by sentence
  from 18 Chinese and 12 English sentences, one list and one link a page.

A fast path can make a repeated text look faster than real pages: quote
figures of the realistic corpus.  With ``translated``, every so many
villages also have an English translation (``index.en.md``), and site.yaml
publishes the editions.
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


TIMES = [
    "明代",
    "明朝嘉靖年间",
    "清代中叶",
    "清末",
    "乾隆年间",
    "民国初年",
    "抗战期间",
    "1950年代",
    "改革开放以后",
    "近年来",
    "南宋末年",
    "元代",
    "每年春节",
    "农历三月",
    "端午前后",
    "中秋夜里",
    "光绪年间",
    "上世纪八十年代",
]
PEOPLE = [
    "先民",
    "族人",
    "村民",
    "华侨",
    "老匠人",
    "返乡青年",
    "镇上的商人",
    "族中长老",
    "外来的客商",
    "年轻的村干部",
    "守祠的老人",
    "村里的妇女",
    "私塾先生",
    "水客",
    "石匠",
    "茶农",
]
DEEDS = [
    "修建了",
    "重修了",
    "开凿了",
    "捐资兴建了",
    "守护着",
    "保存着",
    "翻新了",
    "开办了",
    "整理出",
    "恢复了",
    "加固了",
    "迁建了",
    "描绘了",
    "测绘了",
]
THINGS = [
    "宗祠",
    "书院",
    "码头",
    "石板桥",
    "古井",
    "围龙屋",
    "碉楼",
    "骑楼街",
    "炮楼",
    "社坛",
    "水口林",
    "风水塘",
    "门楼",
    "灰塑",
    "嵌瓷屋脊",
    "族谱",
    "契约文书",
    "凉茶铺",
    "龙舟",
    "醒狮",
    "戏台",
    "古驿道",
    "私塾",
    "晒谷场",
]
OUTCOMES = [
    "至今仍在使用",
    "成了村里最热闹的地方",
    "游客常在这里驻足拍照",
    "见证了家族几百年的兴衰",
    "被列为县级文物保护单位",
    "每逢节庆便挂满灯笼",
    "老人们说起来仍津津乐道",
    "吸引了不少研学团队",
    "保存得相当完整",
    "墙上还留着当年的题字",
    "雨季时格外好看",
    "只剩下半截墙基",
    "去年刚刚修缮完毕",
]
SPOTS = ["村口", "河涌边", "山脚下", "祠堂前的禾坪", "老街尽头", "榕树下", "田埂上", "围屋的天井里", "渡口旁"]
TERMS = [
    "ancestral hall",
    "diaolou",
    "qilou arcade",
    "Hakka walled house",
    "wok-ear gable",
    "lion dance",
    "dragon boat",
    "porcelain inlay",
    "study hall",
    "feng shui pond",
]
EN_TIMES = ["In the Ming dynasty", "Under the Qing", "In the 1920s", "After 1978", "Every spring", "Today"]
EN_PEOPLE = ["the clan", "returning emigrants", "local masons", "the villagers", "young people", "tea farmers"]
EN_DEEDS = ["built", "restored", "carved", "looked after", "rebuilt", "painted", "opened"]
EN_THINGS = [
    "the ancestral hall",
    "a stone bridge",
    "the watchtower",
    "a study hall",
    "the old well",
    "the pier",
    "a row of arcade shops",
    "the opera stage",
    "the village gate",
]
EN_OUTCOMES = [
    "which still stands",
    "and visitors stop there",
    "as the elders remember",
    "before the floods",
    "with money sent from abroad",
    "for the spring festival",
]
OFFICIAL = [
    ("广东省文化和旅游厅", "https://whly.gd.gov.cn/"),
    ("中国传统村落数字博物馆", "https://www.dmctv.cn/"),
    ("国家文物局", "https://www.ncha.gov.cn/"),
]  # fmt: skip


def _sentence(rnd: random.Random) -> str:
    """One Chinese sentence from the word lists, sometimes with a bold name or an English term."""
    thing = rnd.choice(THINGS)
    if rnd.random() < 0.25:
        thing = f"**{thing}**"
    if rnd.random() < 0.12:
        thing += f"（{rnd.choice(TERMS)}）"
    time, who, deed, what = rnd.choice(TIMES), rnd.choice(PEOPLE), rnd.choice(DEEDS), rnd.choice(OUTCOMES)
    form = rnd.randrange(5)
    if form == 0:
        return f"{time}，{who}在{rnd.choice(SPOTS)}{deed}{thing}，{what}。"
    if form == 1:
        return f"{rnd.choice(SPOTS)}的{thing}是{time}{who}{deed}的，{what}。"
    if form == 2:
        return f"说起{thing}，{who}总会提到{time}的往事：{what}。"
    if form == 3:
        return f"{thing}离{rnd.choice(THINGS)}约{rnd.randrange(50, 900)}米，{what}。"
    return f"全村{rnd.randrange(2, 90)}户人家里，{who}{deed}{thing}已有{rnd.randrange(30, 600)}多年。"


def _english(rnd: random.Random) -> str:
    thing = rnd.choice(EN_THINGS)
    if rnd.random() < 0.3:
        thing = f"*{thing}*"
    return f"{rnd.choice(EN_TIMES)}, {rnd.choice(EN_PEOPLE)} {rnd.choice(EN_DEEDS)} {thing} {rnd.choice(EN_OUTCOMES)}."


def realistic_village(index: int, count: int, rnd: random.Random) -> str:
    """A village of the realistic corpus: its front matter as :func:`village_markdown`'s, a varied body."""
    front = village_markdown(index, count, rnd).split("\n---\n\n", 1)[0] + "\n---\n\n"
    neighbour = (index + 1 + rnd.randrange(count - 1)) % count if count > 1 else index
    official, address = rnd.choice(OFFICIAL)

    def paragraph(low: int, high: int) -> str:
        return "".join(_sentence(rnd) for _ in range(rnd.randint(low, high)))

    items = "\n".join(f"- **{rnd.choice(THINGS)}**：{rnd.choice(OUTCOMES)}" for _ in range(rnd.randint(3, 5)))
    steps = "\n".join(f"{n}. {rnd.choice(SPOTS)}：{rnd.choice(OUTCOMES)}" for n in range(1, rnd.randint(3, 5)))
    table = ""
    if index % 4 == 0:
        rows = "\n".join(
            f"| {rnd.choice(THINGS)} | {rnd.choice(TIMES)} | {rnd.choice(OUTCOMES)} |" for _ in range(rnd.randint(2, 4))
        )
        table = f"| 建筑 | 年代 | 现状 |\n|---|---|---|\n{rows}\n\n"
    body = (
        f"## 历史\n\n{paragraph(6, 10)}\n\n{paragraph(4, 6)}\n\n"
        f"## 建筑\n\n{paragraph(4, 6)}\n\n{items}\n\n{table}{paragraph(2, 4)}\n\n"
        f"## 游览\n\n{paragraph(2, 4)}相邻的[第{neighbour}村](../v{neighbour:05d}/)也值得一去，"
        f"资料见[{official}]({address})。\n\n{steps}\n\n"
        f"## History\n\n{' '.join(_english(rnd) for _ in range(rnd.randint(3, 5)))}\n"
    )
    return front + body


CORPORA = {"realistic": realistic_village, "sentences": village_markdown}
"""The corpora by name: ``realistic`` (the default), ``sentences`` (the earlier one)."""


def write_corpus(root: Path, count: int, seed: int = 1, translated: int = 0, corpus: str = "realistic") -> Path:
    """A site folder with ``count`` villages; one in ``translated`` (if any) with an English translation."""
    make = CORPORA[corpus]
    rnd = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    (root / "site.yaml").write_text("title: 基准测试\nbase_url: /\n", encoding="utf-8")
    for index in range(count):
        folder = root / "content" / "villages" / f"v{index:05d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "index.md").write_text(make(index, count, rnd), encoding="utf-8")
        if translated and index % translated == 0:
            (folder / "index.en.md").write_text(translation_markdown(index, count, rnd), encoding="utf-8")
    return root
