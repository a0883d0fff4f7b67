"""The scorer against the labelled answer set: twins, gaming cases, ranking, evidence, edge inputs."""

from __future__ import annotations

from functools import cache, lru_cache

import pytest
from scoring_data import GAMING, GENUINE, labelled, spearman

from trainer.content.bank import QuestionBank
from trainer.models import BANDS, SECTIONS
from trainer.scoring.assess import DEPTH_REACH
from trainer.scoring.scorer import compile_rubric, score


@lru_cache(maxsize=1)
def _bank() -> QuestionBank:
    return QuestionBank.load()


@cache
def _compiled(qid: str):
    b = _bank()
    q = b.get(qid)
    return q, compile_rubric(b.rubric(q))


def _score(text: str, qid: str):
    q, cr = _compiled(qid)
    return score(text, q, cr)


@cache
def _scored(answer_id: str):
    a = next(x for x in labelled() if x.id == answer_id)
    return _score(a.text, a.question)


def _verdicts(s) -> dict[str, str]:
    return {v.point_id: v.verdict for sec in s.sections for v in sec.points}


BY_ID = {a.id: a for a in labelled()}
TWINS = [a for a in labelled() if a.twin_of]


def test_the_labelled_set_covers_every_kind_on_both_topics():
    topics = {a.question.split("/")[0] for a in labelled()}
    assert topics == {"trust-gap", "burden-relief"}
    kinds = {a.kind for a in labelled()}
    assert set(GENUINE) | set(GAMING) | {"traditional", "unpunctuated"} <= kinds
    assert len(labelled()) >= 40
    assert {a.split for a in labelled()} == {"tune", "held"}


@pytest.mark.parametrize("twin", TWINS, ids=lambda a: f"{a.id}<-{a.twin_of}")
def test_twins_get_the_same_verdicts_and_nearly_the_same_total(twin):
    original = _scored(twin.twin_of)
    copy = _scored(twin.id)
    assert _verdicts(copy) == _verdicts(original)
    tolerance = 3 if twin.kind == "traditional" else 8
    assert abs(copy.total - original.total) <= tolerance


@pytest.mark.parametrize(
    "answer",
    [
        a
        for a in labelled()
        if a.kind in ("generic", "off-topic", "copied", "salad", "padded", "frame")
    ],
    ids=lambda a: f"{a.id}-{a.kind}",
)
def test_gaming_does_not_pay(answer):
    s = _scored(answer.id)
    assert s.total < 25, f"{answer.kind} scored {s.total}"
    assert s.band == "差"


def test_keyword_salad_scores_below_every_genuine_middling_answer():
    salads = [_scored(a.id).total for a in labelled() if a.kind == "salad"]
    middling = [
        _scored(a.id).total for a in labelled() if a.kind in ("medium", "good", "excellent")
    ]
    assert salads and middling
    assert max(salads) < min(middling)
    for a in labelled():
        if a.kind == "salad":
            assert any("关键词堆砌" in w for w in _scored(a.id).warnings)


def test_gaming_warnings_name_the_attack():
    expect = {"copied": "照抄题干", "padded": "重复", "generic": "套话", "frame": "同一句式"}
    for a in labelled():
        if a.kind in expect:
            warnings = " ".join(_scored(a.id).warnings)
            assert expect[a.kind] in warnings, (a.id, warnings)


def test_padding_one_point_credits_it_once():
    for a in labelled():
        if a.kind != "padded":
            continue
        s = _scored(a.id)
        credited = [v for sec in s.sections for v in sec.points if v.verdict != "miss"]
        assert len(credited) <= 2
        assert s.details["repeat_share"] > 0.3


def test_ranking_agrees_with_the_examiner_labels():
    items = list(labelled())
    rho = spearman([a.grade for a in items], [_scored(a.id).total for a in items])
    assert rho >= 0.85, rho


def test_better_answers_outscore_worse_ones_on_each_topic():
    order = {"excellent": 3, "good": 2, "medium": 1, "weak": 0}
    for topic in ("trust-gap", "burden-relief"):
        means = {}
        for kind, rank in order.items():
            totals = [
                _scored(a.id).total
                for a in labelled()
                if a.kind == kind and a.question.startswith(topic)
            ]
            means[rank] = sum(totals) / len(totals)
        assert means[3] > means[2] > means[1] > means[0], (topic, means)


def test_point_verdicts_mostly_agree_with_the_labels():
    agree = total = 0
    for a in labelled():
        if a.kind not in GENUINE:
            continue
        for pid, verdict in _verdicts(_scored(a.id)).items():
            total += 1
            agree += (verdict != "miss") == (pid in a.points)
    assert agree / total >= 0.85


def test_evidence_is_a_slice_of_the_original_answer():
    for a in labelled():
        s = _scored(a.id)
        for sec in s.sections:
            for v in sec.points:
                if v.verdict == "miss":
                    assert v.evidence is None
                    continue
                ev = v.evidence
                assert ev is not None and 0 <= ev.start < ev.end <= len(a.text)
                assert a.text[ev.start : ev.end] == ev.text


def test_result_shape_and_ranges():
    for a in labelled():
        s = _scored(a.id)
        assert 0 <= s.total <= 100
        assert s.band in BANDS
        assert s.exam_scale == 20 and 0 <= s.exam_score <= 20
        assert [sec.section for sec in s.sections] == [
            x for x in SECTIONS if x in {sec.section for sec in s.sections}
        ]
        q, _ = _compiled(a.question)
        assert set(s.structure.detected) <= {step for step, _ in q.skeleton}
        data = s.to_dict()
        assert {"total", "band", "sections", "structure", "length", "warnings"} <= set(data)
        for sec in data["sections"].values():
            for p in sec["points"]:
                assert {"id", "verdict", "similarity", "evidence"} <= set(p)


def test_a_good_answer_shows_its_skeleton_and_speaking_time():
    s = _scored("tg-01")
    assert s.structure.detected == SECTIONS
    assert s.structure.in_order and s.structure.has_transition
    assert 180 <= s.length.seconds <= 270 and s.length.band == "合适"
    assert s.band == "好"


def test_out_of_order_sections_are_reported():
    text = BY_ID["tg-01"].text
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    # Measures first, then harms and causes: 对策 before 危害 is out of order.
    swapped = "\n\n".join(
        [paragraphs[0], paragraphs[3], paragraphs[1], paragraphs[2], paragraphs[4]]
    )
    s = _score(swapped, BY_ID["tg-01"].question)
    assert not s.structure.in_order
    assert s.structure.out_of_order
    assert any("顺序" in w for w in s.warnings)


def test_same_answer_same_score_and_compiled_rubric_is_only_a_speedup():
    b = _bank()
    a = BY_ID["br-03"]
    q = b.get(a.question)
    plain = score(a.text, q, b.rubric(q))
    compiled = score(a.text, q, compile_rubric(b.rubric(q)))
    assert plain == compiled == _scored("br-03")


@pytest.mark.parametrize("text", ["", "   \n\t ", "。，！？……", "\u3000\u3000"])
def test_empty_answer_scores_zero_with_a_message(text):
    s = _score(text, "trust-gap/phenomenon-1")
    assert s.total == 0 and s.band == "差" and s.exam_score == 0
    assert any("答案为空" in w for w in s.warnings)
    assert all(v.verdict == "miss" for sec in s.sections for v in sec.points)


def test_a_huge_answer_is_scored_on_its_first_part_and_says_so():
    text = BY_ID["tg-01"].text * 1300  # ≈ 1 MB of UTF-8
    assert len(text.encode("utf-8")) > 1_000_000
    s = _score(text, "trust-gap/phenomenon-1")
    assert s.details["truncated"] is True
    assert any("只评了前" in w for w in s.warnings)
    assert s.length.chars > 500_000  # the length line still reports the whole answer
    assert s.length.band == "长"


def test_exam_scale_ten():
    q, cr = _compiled("trust-gap/phenomenon-1")
    s = score(BY_ID["tg-01"].text, q, cr, exam_scale=10)
    assert s.exam_scale == 10 and s.exam_score == round(s.total / 10 * 2) / 2


def test_a_question_the_user_brings_is_scored_against_the_topic_rubric():
    b = _bank()
    q = b.custom_question("trust-gap", "有人说，基层干部报喜不报忧是因为上级不信任基层。你怎么看？")
    s = score(BY_ID["tg-01"].text, q, b.rubric(q))
    assert s.question_id == q.id and s.band == "好"


@pytest.mark.parametrize("answer", [a for a in labelled() if a.kind == "short"], ids=lambda a: a.id)
def test_short_but_correct_answers_land_in_the_band_a_strict_examiner_gives(answer):
    s = _scored(answer.id)
    want = next(
        name for floor, name in ((75, "好"), (50, "中"), (0, "差")) if answer.grade >= floor
    )
    assert s.band == want, (answer.id, answer.grade, s.total)
    if s.length.seconds <= 70:  # one minute of speech is never 好
        assert s.total < 70


def test_unrelated_text_appended_to_a_thin_answer_buys_no_depth():
    thin = BY_ID["tg-26"]
    story = BY_ID["tg-13"].text  # a fluent 垃圾分类 answer: no point of this rubric
    before = _scored(thin.id)
    after = _score(thin.text.rstrip() + "\n\n" + story, thin.question)
    assert after.length.chars > 2 * before.length.chars
    # Only the text within reach of the last credited point counts as time spent on it.
    assert after.details["depth_chars"] - before.details["depth_chars"] <= DEPTH_REACH
    assert after.band != "好"


def test_absolute_scores_stay_close_to_the_examiner_grades():
    genuine = [a for a in labelled() if a.kind in GENUINE]
    gap = sum(abs(_scored(a.id).total - a.grade) for a in genuine) / len(genuine)
    assert gap <= 12, gap


@pytest.mark.parametrize(
    "answer", [a for a in labelled() if a.kind == "cross-topic-long"], ids=lambda a: a.id
)
def test_an_excellent_answer_to_the_related_topic_is_read_as_off_topic(answer):
    s = _scored(answer.id)
    assert s.total < 50, s.total
    assert s.warnings[0].startswith("疑似跑题"), s.warnings
    assert not s.details["on_focus"]


def test_genuine_answers_are_never_flagged_off_topic():
    for a in labelled():
        if a.kind in GENUINE or a.twin_of:
            s = _scored(a.id)
            assert s.details["on_focus"], a.id
            assert not any(w.startswith("疑似跑题") for w in s.warnings), a.id


def test_naming_the_questions_phenomenon_lifts_the_off_topic_discount():
    cross = BY_ID["tg-27"]  # a 基层减负 answer given to the 不放心 question
    before = _scored(cross.id)
    opening = "我认为，上级对基层不放心、管得过死，这种倾向需要扭转。\n"
    after = _score(opening + cross.text, cross.question)
    assert after.details["on_focus"] and not before.details["on_focus"]
    assert after.total > before.total + 15


def test_questions_without_a_quoted_phenomenon_have_no_focus_check():
    _, cr = _compiled("trust-gap/opinion-1")
    assert not cr.focus
    _, cr = _compiled("trust-gap/phenomenon-1")
    assert "不放心" in cr.focus.words and "检查" not in cr.focus.words


# ---------------------------------------------------------------- structure as written

_WRITTEN = (
    "我认为，上级对基层不放心、事事插手，这种倾向必须扭转。\n"
    "这种做法危害不小。基层干部被一竿子插到底的会议和检查拖住，顾不上给群众办事。\n"
    "之所以会这样，是因为有的上级部门不了解基层，又怕担责任，干脆什么都要亲自过问。\n"
    "对此，我建议上级多到一线调研，把该放的权放给基层，建立容错机制。\n"
    "总之，上下之间多一分信任，基层治理才能多一分合力。"
)


def test_sections_come_from_what_the_candidate_wrote():
    s = _score(_WRITTEN, "trust-gap/phenomenon-1")
    assert s.structure.detected == ("点题", "危害", "原因", "对策", "总结")
    assert s.structure.in_order and not s.structure.out_of_order
    assert s.structure.has_transition
    assert not any("顺序不当" in w for w in s.warnings)


def test_a_closing_summary_counts_even_when_no_summary_point_matches():
    s = _score(_WRITTEN, "trust-gap/phenomenon-1")
    summary = next(sec for sec in s.sections if sec.section == "总结")
    assert summary.present
    assert "总结" not in s.structure.missing


def test_sections_written_in_another_order_are_reported_in_that_order():
    parts = _WRITTEN.split("\n")
    swapped = "\n".join([parts[0], parts[2], parts[1], parts[3], parts[4]])
    s = _score(swapped, "trust-gap/phenomenon-1")
    assert s.structure.detected[:3] == ("点题", "原因", "危害")
    assert s.structure.out_of_order and any("顺序不当" in w for w in s.warnings)


def test_an_answer_typed_without_punctuation_keeps_its_strong_section_cues():
    flat = "".join(ch for ch in _WRITTEN if ch.isalnum())
    s = _score(flat, "trust-gap/phenomenon-1")
    assert {"原因", "对策", "总结"} <= set(s.structure.detected)


def test_off_topic_text_with_perfect_structure_words_earns_no_structure():
    s = _scored("tg-13")  # a well-built 垃圾分类 answer given to the 不放心 question
    # Its analysis is about something else: no 危害 / 原因 / 对策 of this question. (Its
    # closing "只有…同向发力，才能…" is a summary any answer could end with.)
    assert not {"危害", "原因", "对策"} & set(s.structure.detected)
    assert s.structure_score < 1.5


def test_sound_analysis_the_rubric_does_not_list_is_credited_and_shown():
    extra = (
        "我认为，上级对基层不放心的倾向必须扭转。\n"
        "这种做法危害很多。基层干部的方案一次次被上级推翻，久而久之就不再主动提建议，"
        "因为说了也改不了什么。\n"
        "总之，要让基层放开手脚。"
    )
    s = _score(extra, "trust-gap/phenomenon-1")
    harm = next(sec for sec in s.sections if sec.section == "危害")
    assert harm.reasoned, harm
    assert 0 < harm.bonus <= 1 / 3
    generic = _scored("tg-12")  # 套话: the same shape, nothing about the question
    assert not any(sec.reasoned for sec in generic.sections)


def test_each_question_type_is_scored_on_its_own_skeleton(cli):
    """A 名言类 answer is read as 释义 → 分析 → 做法 → 总结, and `show` says so."""
    quote = (
        "“用人不疑”说的是，既然把事情交给了一个人，就要真正信任他、放手让他干。\n"
        "之所以现在有些上级做不到，是因为怕担责任，对基层不放心，事事都要过问。"
        "这样一来，基层干部束手束脚，主动性和创造性都被压住了。\n"
        "对此，上级要尊重基层实际，给基层适当松绑，建立容错纠错机制。\n"
        "总之，只有上下互信，基层治理才能形成合力。"
    )
    s = _score(quote, "trust-gap/quote-1")
    assert s.structure.skeleton == ("释义", "分析", "做法", "总结")
    assert s.structure.detected == ("释义", "分析", "做法", "总结") and s.structure.in_order
    shown = cli("show", "trust-gap/quote-1", "--json")
    import json

    assert json.loads(shown.stdout)["skeleton"] == ["释义", "分析", "做法", "总结"]
    assert "结构：释义 → 分析 → 过渡 → 做法 → 总结" in cli("show", "trust-gap/quote-1").stdout
    policy = _score(quote, "trust-gap/policy-1")
    assert policy.structure.skeleton == ("表态", "意义", "落实难点", "对策", "总结")


def test_explaining_the_saying_is_credited_in_a_quote_question():
    explained = (
        "“用人不疑”说的是，把事情交给一个人之前要把好关，交给了就要信得过他、放手让他干。"
        "放到基层治理里，就是上级要信任基层，给基层干事的空间。"
    )
    skipped = "上级要信任基层，给基层干事的空间，少一些检查问责。"
    said = _verdicts(_score(explained, "trust-gap/quote-1"))
    assert said["dt-saying"] != "miss"
    assert _verdicts(_score(skipped, "trust-gap/quote-1"))["dt-saying"] == "miss"


def test_a_balanced_stance_is_credited_in_an_opinion_question():
    stance = (
        "我认为这种说法有一定道理，必要的监督检查确实不可少，但把检查问责当成万能钥匙就片面了，"
        "查得太多、问得太滥，基层只会疲于应付。"
    )
    assert _verdicts(_score(stance, "trust-gap/opinion-1"))["dt-stance-check"] == "full"


# Everyday words at a sentence start must not move the answer's sections.
_PLAIN = {
    "opening": "我认为，政策要求打架的现象必须纠正，它让基层左右为难。",
    "harm": "这种现象的危害很大。基层无所适从，只能选择性落实，工作难以实事求是，还滋生形式主义。",
    "cause": "究其原因，各部门各自为政，出台政策前缺少统筹和调研，考核又压在基层身上。",
    "bridge": "对此，我建议：",
    "remedy": "第一，上级要加强统筹，出台政策前充分调研。第二，要给基层留出灵活空间，容错纠错。",
    "close": "总之，上下同心才能把政策落到实处。",
}


def _plain(**change: str) -> str:
    return "\n".join(change.get(k, v) for k, v in _PLAIN.items())


def test_a_plain_answer_shows_its_whole_skeleton():
    s = _score(_plain(), "trust-gap/phenomenon-4")
    assert s.structure.missing == () and s.structure.in_order and s.structure.has_transition


@pytest.mark.parametrize(
    "part, text",
    [
        # 要求 / 要是 / 应付 open a sentence without proposing anything
        (
            "harm",
            "这种现象的危害很大。要求相互矛盾时，基层无所适从，只能选择性落实，还滋生形式主义。",
        ),
        (
            "harm",
            "这种现象的危害很大。要是完不成任务就挨板子，基层只能选择性落实，工作难以实事求是。",
        ),
        (
            "harm",
            "这种现象的危害很大。应付完这个检查又来那个检查，基层只能选择性落实，滋生形式主义。",
        ),
        # 说到底 sums up a cause here, not the answer
        ("cause", "究其原因，各部门各自为政，缺少统筹和调研。说到底，还是上级不了解基层实际。"),
    ],
)
def test_everyday_words_at_a_sentence_start_do_not_move_a_section(part, text):
    s = _score(_plain(**{part: text}), "trust-gap/phenomenon-4")
    assert s.structure.missing == () and s.structure.in_order, (s.structure, s.warnings)
    assert not any("顺序不当" in w for w in s.warnings)


def test_a_bridge_sentence_that_opens_with_yao_is_still_a_transition():
    """要让基层愿意交底，对此我建议： is the 过渡, though 要 opens the 对策 block."""
    s = _score(_plain(bridge="要让各部门的要求不再打架，对此我建议："), "trust-gap/phenomenon-4")
    assert s.structure.has_transition
    assert not any("缺少过渡" in w for w in s.warnings)
    # a countermeasure that merely says 如何 is not a bridge
    bare = _score(_plain(bridge=""), "trust-gap/phenomenon-4")
    assert not bare.structure.has_transition


def test_a_keyword_inside_its_own_negation_is_not_said():
    """不交底 is the problem, not the 交底 a countermeasure asks for."""

    def coverage(text: str) -> float:
        return _score(text, "trust-gap/phenomenon-1").details["points"]["dc-channel"]["coverage"]

    negated = coverage("我认为，上级对基层不放心，基层干部就不交底、不回应、不畅通。")
    said = coverage("我认为，上级要信任基层，让基层干部愿意交底，问题件件有回应，渠道畅通。")
    assert negated == 0 < said


@pytest.mark.parametrize(
    "text, proposes",
    [
        ("上级件件有回应", False),
        ("我觉得渠道畅通", False),
        ("听取基层需求", False),
        ("这很重要", False),
        ("上级要求基层", False),
        ("上级要件件有回应", True),
        ("渠道应该畅通", True),
        ("上面得多听听", True),
        ("需要保护直言者", True),
    ],
)
def test_only_a_real_proposal_word_makes_a_countermeasure_proposed(text, proposes):
    """回应 / 觉得 / 需求 / 重要 / 要求 hold 应 得 需 要 but propose nothing.

    A 对策 point found where nothing is proposed keeps NO_PROPOSAL_FACTOR of its match.
    """
    from trainer.scoring.scorer import _PROPOSAL

    assert bool(_PROPOSAL.search(text)) is proposes
