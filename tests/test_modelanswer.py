"""Model-answer assembly: which text is used, how it reads, and what it covers."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from trainer.content.bank import QuestionBank
from trainer.content.loader import load_files
from trainer.modelanswer.assemble import (
    ORIGIN_ASSEMBLED,
    ORIGIN_QUESTION,
    ORIGIN_TOPIC,
    build_model_answer,
    emphasis,
)
from trainer.modelanswer.wording import DEFAULT_TRANSITION
from trainer.models import ANSWER_STEPS, SECTIONS
from trainer.scoring.scorer import score
from trainer.text import CHARS_PER_MINUTE, content_length

DEMO = Path(__file__).parent / "data" / "modelanswer"


def demo_bank() -> QuestionBank:
    """A frozen copy of the trust-gap topic plus two questions (general and focused)."""
    content = load_files(
        [
            DEMO / "prompts" / "templates.yaml",
            DEMO / "rubrics" / "demo-trust.yaml",
            DEMO / "prompts" / "demo-trust.yaml",
        ]
    )
    assert content.problems == []
    return QuestionBank(content)


def answer(bank: QuestionBank, qid: str):
    q = bank.get(qid)
    return build_model_answer(q, bank.rubric(q))


def step(ma, name):
    return next(s for s in ma.steps if s.name == name)


def assembled(bank: QuestionBank, qid: str, *, own_points: bool = True):
    """The answer the assembler would give ``qid`` had nobody written one (shipped ones are).

    Without ``own_points`` the question's ``extra_points`` go too, so its 点题
    opens with the generated 表态.
    """
    q = bank.get(qid)
    q = replace(q, model_answer=(), extra_points=q.extra_points if own_points else ())
    rubric = bank.rubric(q)
    return build_model_answer(q, replace(rubric, topic=replace(rubric.topic, model_answer=())))


# ----------------------------------------------------------------------------- every question


def test_every_question_gets_six_steps_covering_each_point_in_its_own_section(
    shipped_bank, shipped_qid
):
    q = shipped_bank.get(shipped_qid)
    rubric = shipped_bank.rubric(q)
    ma = build_model_answer(q, rubric)
    assert [s.name for s in ma.steps] == list(ANSWER_STEPS)
    for s in ma.steps:
        assert content_length(s.text) >= 10, (s.name, s.text)
        assert s.text.rstrip()[-1] in "。！？：”", (s.name, s.text[-10:])
    placed = {pid: s.name for s in ma.steps for pid in s.point_ids}
    assert sorted(placed) == sorted(p.id for p in rubric.points)
    for p in rubric.points:
        assert placed[p.id] == p.section, p.id
    assert "{" not in ma.text and "None" not in ma.text


def test_length_and_spoken_time_suit_a_three_to_four_minute_answer(shipped_bank, shipped_qid):
    ma = answer(shipped_bank, shipped_qid)
    assert ma.chars == content_length(ma.text)
    assert 600 <= ma.chars <= 1100
    assert ma.seconds == pytest.approx(ma.chars * 60 / CHARS_PER_MINUTE)


def test_every_question_answer_scores_at_least_90_with_the_projects_scorer(
    shipped_bank, shipped_qid
):
    q = shipped_bank.get(shipped_qid)
    rubric = shipped_bank.rubric(q)
    ma = build_model_answer(q, rubric)
    result = score(ma.text, q, rubric)
    assert result.total >= 90, (shipped_qid, result.total)


def test_answers_are_deterministic(shipped_bank):
    qids = [q.id for q in shipped_bank.questions]
    first = [answer(shipped_bank, qid) for qid in qids]
    second = [answer(QuestionBank.load(), qid) for qid in qids]
    assert first == second


def test_questions_on_one_topic_get_answers_that_differ(shipped_bank):
    """Focused questions are not handed the same text as the general one."""
    texts = {q.id: answer(shipped_bank, q.id).text for q in shipped_bank.questions}
    assert len(set(texts.values())) == len(texts)


# ----------------------------------------------------------------------------- which text is used


def test_general_question_uses_the_topic_answer_verbatim_after_a_stance():
    bank = demo_bank()
    ma = answer(bank, "demo-trust/general-1")
    authored = dict(bank.topics["demo-trust"].model_answer)
    assert {s.origin for s in ma.steps} == {ORIGIN_TOPIC}
    assert ma.origin == ORIGIN_TOPIC
    for name in ("危害", "原因", "过渡", "对策", "总结"):
        assert step(ma, name).text == authored[name]
    opening = step(ma, "点题")
    assert opening.text.endswith(authored["点题"])
    # the stance names the question's own phenomenon (its quoted term)
    assert opening.sentences[0].text.startswith("题目中反映的“不放心”现象")


def test_focused_question_mixes_its_own_authored_step_topic_paragraphs_and_assembly():
    bank = demo_bank()
    ma = answer(bank, "demo-trust/focused-1")
    origins = {s.name: s.origin for s in ma.steps}
    assert origins == {
        "点题": ORIGIN_ASSEMBLED,  # extra 点题 point
        "危害": ORIGIN_ASSEMBLED,  # a point excluded, one re-weighted
        "原因": ORIGIN_TOPIC,  # untouched section: the authored paragraph fits
        "过渡": ORIGIN_TOPIC,
        "对策": ORIGIN_ASSEMBLED,  # re-weighted
        "总结": ORIGIN_QUESTION,  # the question's own authored paragraph
    }
    assert ma.origin == "mixed"
    q = bank.get("demo-trust/focused-1")
    assert step(ma, "总结").text == dict(q.model_answer)["总结"]


def test_topic_without_authored_text_is_assembled_throughout():
    bank = demo_bank()
    q = bank.get("demo-trust/general-1")
    rubric = bank.rubric(q)
    bare = replace(rubric.topic, model_answer=(), transition="", materials=())
    ma = build_model_answer(q, replace(rubric, topic=bare))
    assert {s.origin for s in ma.steps} == {ORIGIN_ASSEMBLED}
    assert step(ma, "过渡").text == DEFAULT_TRANSITION
    assert "比如，" not in ma.text
    assert step(ma, "总结").text.startswith("总之，")
    assert step(ma, "原因").text.startswith("究其原因") and "其五，" in step(ma, "原因").text
    for p in rubric.points:  # every point's wording is said, in its section
        assert p.text.rstrip("。") in step(ma, p.section).text


def test_assembled_opening_starts_with_the_questions_own_point_as_its_stance():
    ma = answer(demo_bank(), "demo-trust/focused-1")
    opening = step(ma, "点题")
    assert opening.sentences[0].point_ids == ("dt-opinion",)
    assert opening.sentences[0].text.startswith("监督问责是压实责任的必要手段")


def test_excluded_point_is_left_out_and_raised_points_come_first():
    bank = demo_bank()
    ma = answer(bank, "demo-trust/focused-1")
    harm = step(ma, "危害")
    formalism = next(p for p in bank.topics["demo-trust"].points if p.id == "wh-formalism")
    assert "wh-formalism" not in harm.point_ids
    assert formalism.text.rstrip("。") not in ma.text
    assert harm.point_ids[0] == "wh-burden"  # weight raised by the question
    assert harm.point_ids[-1] == "wh-overall"  # 长此以往… stays last
    assert step(ma, "对策").point_ids[0] == "dc-accountability"


def test_assembled_sections_read_as_connected_speech():
    ma = answer(demo_bank(), "demo-trust/focused-1")
    harm = step(ma, "危害").text
    measures = step(ma, "对策").text
    # the lead-in carries the cue word and runs on into the first point
    assert re.match(r"这一问题[^。]*危害：首先，", harm)
    assert step(ma, "危害").sentences[0].point_ids == ("wh-burden",)
    assert "其次，" in harm and "再次，" in harm
    assert "长此以往，" in harm and "，长此以往" not in harm  # no connective glued before it
    assert measures.startswith("第一，") and "第二，" in measures and "第六，" in measures
    # the bridge into the measures ends with a colon, the measures follow it
    assert step(ma, "过渡").text.endswith("：")


def test_one_concrete_material_not_already_in_the_question():
    bank = demo_bank()
    ma = answer(bank, "demo-trust/focused-1")
    examples = [s for st in ma.steps for s in st.sentences if s.text.startswith("比如，")]
    assert len(examples) == 1
    materials = {m.text for m in bank.topics["demo-trust"].materials}
    assert examples[0].text[3:].rstrip("。") in materials
    assert examples[0].sources  # cited like a point


def test_stances_respond_to_the_question_kind(shipped_bank):
    expectations = {
        "观点类": "这种说法",
        "正反观点类": "两种观点",
        "名言类": "这句话",
        "标语类": "这句话",
        "政策类": "",  # policy questions carry their own 点题 point here
        "现象类": "现象",
    }
    seen = set()
    for q in shipped_bank.questions:
        ma = assembled(shipped_bank, q.id, own_points=False)
        opening = step(ma, "点题").sentences[0].text
        want = expectations.get(q.kind)
        if want:
            assert want in opening, (q.id, opening)
            seen.add(q.kind)
    assert {"观点类", "正反观点类", "现象类"} <= seen


def test_generated_sentences_neither_copy_the_question_nor_stand_alone(shipped_bank, shipped_qid):
    """What the assembler writes itself models a good answer: no 照抄题干, no empty 万能句."""
    q = shipped_bank.get(shipped_qid)
    bare = replace(q, model_answer=())  # as if nobody had written this question's answer
    variants = [  # the topic's authored paragraphs where they fit, and assembly throughout
        build_model_answer(bare, shipped_bank.rubric(bare)),
        assembled(shipped_bank, shipped_qid),
    ]
    asked = "".join(c for c in q.text if c.isalnum())
    runs = {asked[i : i + 6] for i in range(len(asked) - 5)}
    for s in (s for ma in variants for s in ma.steps):
        if s.origin == ORIGIN_ASSEMBLED:
            generated = [x for x in s.sentences if not x.point_ids]  # points are content
        elif s.origin == ORIGIN_TOPIC and s.name == "点题":
            generated = [s.sentences[0]]  # the 表态 put before the authored paragraph
        else:
            continue
        for sent in generated:
            said = "".join(c for c in sent.text if c.isalnum())
            copied = [said[i : i + 6] for i in range(len(said) - 5) if said[i : i + 6] in runs]
            assert not copied, (shipped_qid, sent.text, copied)
            # stand-alone sentences are only the 表态 and the one material
            assert s.name == "点题" or sent.text.startswith("比如，"), (shipped_qid, sent.text)
        for phrase in ("原因是多方面的", "值得深思", "辩证看待", "不容小觑"):
            assert phrase not in "".join(x.text for x in generated)


# ----------------------------------------------------------------------------- outline and notes


def test_outline_lists_each_point_key_phrase_in_answer_order():
    bank = demo_bank()
    ma = answer(bank, "demo-trust/focused-1")
    outline = dict(ma.outline)
    assert list(outline) == list(ANSWER_STEPS)
    for s in ma.steps:
        if s.name == "过渡":
            assert [i.phrase for i in outline[s.name]] == [s.text]
            continue
        assert [i.point_id for i in outline[s.name]] == list(s.point_ids)
    first = outline["危害"][0]
    assert first.point_id == "wh-burden"
    # key words from the point's own keyword groups, in the order the point says them
    assert first.phrase == "检查 · 疲于应付 · 精力"


def test_footnotes_are_numbered_in_reading_order_and_name_the_source():
    ma = answer(demo_bank(), "demo-trust/focused-1")
    marks = [n for s in ma.steps for sent in s.sentences for n in sent.notes]
    first_uses = list(dict.fromkeys(marks))
    assert first_uses == sorted(first_uses)  # numbered by first use
    assert len(marks) > len(first_uses)  # a quote cited twice keeps its number
    assert first_uses == [n.number for n in ma.footnotes]
    assert [n.number for n in ma.footnotes] == list(range(1, len(ma.footnotes) + 1))
    assert all(n.doc_title and n.quote for n in ma.footnotes)


def test_emphasis_runs_rebuild_the_sentence_and_bold_only_key_phrases(shipped_bank):
    ma = answer(shipped_bank, "trust-gap/phenomenon-2")
    bolded = 0
    for s in ma.steps:
        for sent in s.sentences:
            runs = emphasis(sent)
            assert "".join(t for t, _ in runs) == sent.text
            for t, bold in runs:
                if bold:
                    bolded += 1
                    assert any(k in t for k in sent.keys), (t, sent.keys)
            # adjacent keys merge: no two emphasised runs in a row
            assert all(not (a[1] and b[1]) for a, b in zip(runs, runs[1:], strict=False))
    assert bolded >= len(SECTIONS) * 2
