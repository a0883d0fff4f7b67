from hypothesis import given
from hypothesis import strategies as st

from trainer.text import (
    content_length,
    normalize,
    normalize_with_offsets,
    split_clauses,
    split_sentences,
)


def test_traditional_and_simplified_normalise_to_the_same_text():
    trad = "上級對基層「不放心」，基層對上級「不交底」，信任缺口亟待彌合。"
    simp = "上级对基层“不放心”，基层对上级“不交底”，信任缺口亟待弥合。"
    assert normalize(trad) == normalize(simp)


def test_full_width_and_half_width_normalise_to_the_same_text():
    full = "基层干部要填３个ＡＰＰ，每周报表１０份！"
    half = "基层干部要填3个APP,每周报表10份!"
    assert normalize(full) == normalize(half)


def test_whitespace_between_chinese_characters_is_ignored():
    assert normalize("基层 减负\u3000 不是  减责") == normalize("基层减负不是减责")
    assert normalize("line one\n\n\nline two") == "line one\nline two"


def test_offsets_map_each_normalised_char_back_to_its_source():
    original = "首先， 上級要信任基層。\n其次，ＡＰＰ要整合！"
    norm, offsets = normalize_with_offsets(original)
    assert len(norm) == len(offsets)
    for ch, off in zip(norm, offsets, strict=True):
        src = original[off]
        assert normalize(src) == ch or src.isspace()


def test_sentences_keep_spans_into_the_original_text():
    original = "首先，上級要信任基層。其次， 基層要敢於交底！\n總之要上下同心"
    sentences = split_sentences(original)
    assert [s.text for s in sentences] == [
        "首先，上级要信任基层。",
        "其次，基层要敢于交底！",
        "总之要上下同心",
    ]
    assert original[sentences[1].start : sentences[1].end] == "其次， 基層要敢於交底！"
    assert original[sentences[2].start : sentences[2].end] == "總之要上下同心"


def test_clauses_split_on_commas():
    clauses = split_clauses("一是减文件，二是减会议、三是减考核。")
    assert [c.text for c in clauses] == ["一是减文件，", "二是减会议、", "三是减考核。"]


def test_content_length_counts_characters_not_punctuation():
    assert content_length("基层，减负！ OK") == 6


@given(st.text(alphabet="上級基層信任交底，。！ \n\u3000ＡＢ１２abc", max_size=60))
def test_offsets_are_monotonic_and_in_range(text):
    norm, offsets = normalize_with_offsets(text)
    assert len(norm) == len(offsets)
    assert offsets == sorted(offsets)
    assert all(0 <= o < len(text) for o in offsets)
    for seg in split_sentences(text):
        assert 0 <= seg.start < seg.end <= len(text)


def test_traditional_zhe_particle_becomes_simplified():
    assert normalize("隨著技術普及，面臨著新問題") == normalize("随着技术普及，面临着新问题")
    assert normalize("擁有著作權") == "拥有著作权"
