"""One test per validation rule: every problem names the file, the line and the field."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from trainer.content.loader import load_files, validate_paths

TEMPLATES = """\
templates:
  - id: phenomenon
    kind: 现象类
    text: "{material}对此，你怎么看？"
"""

RUBRIC = """\
id: demo
title: 示例主题
sources:
  - id: d1
    file: sources/d1.txt
    title: 示例来源
points:
  - id: p1
    section: 危害
    weight: 5
    text: 基层干部疲于应付检查，干事精力被挤占。
    keywords: [[疲于应付, 疲惫不堪], [检查, 督查]]
    source: {doc: d1, quote: 基层疲惫不堪}
"""

PROMPTS = """\
topic: demo
questions:
  - id: q1
    template: phenomenon
    slots:
      material: 基层检查多。
"""


def make_root(
    tmp_path: Path, rubric: str = RUBRIC, prompts: str = PROMPTS, templates: str = TEMPLATES
) -> Path:
    (tmp_path / "rubrics" / "sources").mkdir(parents=True)
    (tmp_path / "prompts").mkdir()
    (tmp_path / "rubrics" / "sources" / "d1.txt").write_text(
        "检查太多，让基层疲惫不堪。", encoding="utf-8"
    )
    (tmp_path / "rubrics" / "demo.yaml").write_text(textwrap.dedent(rubric), encoding="utf-8")
    (tmp_path / "prompts" / "demo.yaml").write_text(textwrap.dedent(prompts), encoding="utf-8")
    (tmp_path / "prompts" / "templates.yaml").write_text(
        textwrap.dedent(templates), encoding="utf-8"
    )
    return tmp_path


def problems_of(root: Path) -> list:
    files = [
        root / "prompts" / "templates.yaml",
        root / "rubrics" / "demo.yaml",
        root / "prompts" / "demo.yaml",
    ]
    return load_files(files, check_quotes=True).problems


def only(problems: list, field: str):
    hits = [p for p in problems if p.field == field]
    assert hits, f"no problem for {field}: {[str(p) for p in problems]}"
    return hits[0]


def test_valid_root_has_no_problems(tmp_path):
    assert problems_of(make_root(tmp_path)) == []


def test_yaml_syntax_error_names_file_and_line(tmp_path):
    root = make_root(tmp_path, rubric=RUBRIC.replace("title: 示例主题", "title: [未闭合"))
    p = only(problems_of(root), "(yaml)")
    assert p.path.endswith("demo.yaml") and p.line >= 2
    assert "YAML" in p.message


def test_unknown_key_is_reported_with_its_line(tmp_path):
    root = make_root(
        tmp_path, rubric=RUBRIC.replace("    weight: 5\n", "    weight: 5\n    wieght: 3\n")
    )
    p = only(problems_of(root), "points[0].wieght")
    assert p.line == 11 and "未知字段" in p.message and "weight" in p.message


def test_missing_field(tmp_path):
    root = make_root(
        tmp_path, rubric=RUBRIC.replace("    text: 基层干部疲于应付检查，干事精力被挤占。\n", "")
    )
    p = only(problems_of(root), "points[0].text")
    assert "缺少" in p.message and p.line == 8


def test_section_outside_the_five(tmp_path):
    root = make_root(tmp_path, rubric=RUBRIC.replace("section: 危害", "section: 影响"))
    p = only(problems_of(root), "points[0].section")
    assert p.line == 9 and "点题" in p.message


def test_duplicate_point_ids(tmp_path):
    dup = RUBRIC + (
        "  - id: p1\n"
        "    section: 对策\n"
        "    weight: 3\n"
        "    text: 减少检查。\n"
        "    keywords: [[减少, 精简], [检查]]\n"
        "    source: {doc: d1, quote: 检查太多}\n"
    )
    root = make_root(tmp_path, rubric=dup)
    p = only(problems_of(root), "points[1].id")
    assert "重复" in p.message and p.line == 14


@pytest.mark.parametrize("weight", ["0", "-2", "很多"])
def test_non_positive_or_non_numeric_weight(tmp_path, weight):
    root = make_root(tmp_path, rubric=RUBRIC.replace("weight: 5", f"weight: {weight}"))
    p = only(problems_of(root), "points[0].weight")
    assert p.line == 10


def test_point_citing_unknown_source(tmp_path):
    root = make_root(tmp_path, rubric=RUBRIC.replace("{doc: d1,", "{doc: d9,"))
    p = only(problems_of(root), "points[0].source.doc")
    assert "d9" in p.message and "d1" in p.message and p.line == 13


def test_quote_not_found_in_source(tmp_path):
    root = make_root(
        tmp_path, rubric=RUBRIC.replace("quote: 基层疲惫不堪", "quote: 原文没有这句话")
    )
    p = only(problems_of(root), "points[0].source.quote")
    assert "找不到" in p.message


def test_missing_source_file(tmp_path):
    root = make_root(tmp_path, rubric=RUBRIC.replace("sources/d1.txt", "sources/none.txt"))
    p = only(problems_of(root), "sources[0].file")
    assert p.line == 5


def test_template_with_unknown_slot(tmp_path):
    root = make_root(tmp_path, prompts=PROMPTS.replace("material:", "materal:"))
    problems = problems_of(root)
    p = only(problems, "questions[0].slots.materal")
    assert p.line == 6 and "material" in p.message
    assert any(q.field == "questions[0].slots" and "缺少" in q.message for q in problems)


def test_unknown_template(tmp_path):
    root = make_root(tmp_path, prompts=PROMPTS.replace("template: phenomenon", "template: nope"))
    p = only(problems_of(root), "questions[0].template")
    assert p.line == 4 and "phenomenon" in p.message


def test_topic_with_no_question(tmp_path):
    root = make_root(tmp_path, prompts="topic: demo\nquestions: []\n")
    p = only(problems_of(root), "id")
    assert p.path.endswith("demo.yaml") and "没有任何题目" in p.message


def test_keywords_must_be_groups_of_text(tmp_path):
    root = make_root(
        tmp_path,
        rubric=RUBRIC.replace("keywords: [[疲于应付, 疲惫不堪], [检查, 督查]]", "keywords: []"),
    )
    p = only(problems_of(root), "points[0].keywords")
    assert p.line == 12


def test_problem_prints_as_path_line_field_message(tmp_path):
    root = make_root(tmp_path, rubric=RUBRIC.replace("section: 危害", "section: 影响"))
    text = str(only(problems_of(root), "points[0].section"))
    path, line, field, message = text.split(":", 3)
    assert (
        path.endswith("demo.yaml")
        and line == "9"
        and field.strip() == "points[0].section"
        and message
    )


def test_validate_reports_three_mistakes_as_three_lines_exit_2(tmp_path, cli):
    bad = RUBRIC.replace("section: 危害", "section: 影响").replace("weight: 5", "weight: 0")
    bad = bad.replace("{doc: d1,", "{doc: d9,")
    root = make_root(tmp_path, rubric=bad)
    result = cli(
        "validate", str(root / "rubrics" / "demo.yaml"), str(root / "prompts" / "demo.yaml")
    )
    assert result.exit_code == 2
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 3, result.stdout
    assert all("demo.yaml:" in line for line in lines)
    assert "Traceback" not in result.stderr


def test_validate_paths_checks_a_user_topic_against_installed_templates(tmp_path):
    root = make_root(tmp_path)
    (root / "prompts" / "templates.yaml").unlink()
    content = validate_paths([root / "rubrics" / "demo.yaml", root / "prompts" / "demo.yaml"])
    assert content.problems == []
    assert "demo" in content.topics


def test_prompts_file_must_be_named_after_its_topic(tmp_path):
    root = make_root(tmp_path)
    (root / "prompts" / "demo.yaml").rename(root / "prompts" / "other.yaml")
    files = [
        root / "prompts" / "templates.yaml",
        root / "rubrics" / "demo.yaml",
        root / "prompts" / "other.yaml",
    ]
    p = only(load_files(files).problems, "topic")
    assert p.path.endswith("other.yaml") and "prompts/demo.yaml" in p.message


@pytest.mark.parametrize(
    ("phrasings", "line", "message"),
    [
        ("phrasings: 一句话", 12, "非空的文本列表"),
        ("phrasings: [检查太多]", 12, "太短"),
        ("phrasings: [基层干部疲于应付检查，干事精力被挤占。]", 12, "重复"),
        (
            "phrasings:\n      - 上面三天两头来检查，底下的人光忙着迎检了\n      - 上面三天两头来检查，底下的人光忙着迎检了",
            14,
            "重复",
        ),
    ],
)
def test_phrasings_are_distinct_whole_clauses(tmp_path, phrasings, line, message):
    rubric = RUBRIC.replace(
        "    keywords: [[疲于应付", f"    {phrasings}\n    keywords: [[疲于应付"
    )
    p = next(
        (p for p in problems_of(make_root(tmp_path, rubric=rubric)) if "phrasings" in p.field),
        None,
    )
    assert p is not None and message in p.message and p.line == line, p


def test_good_phrasings_validate_and_reach_the_scorer(tmp_path):
    rubric = RUBRIC.replace(
        "    keywords: [[疲于应付",
        "    phrasings:\n      - 上面三天两头来检查，底下的人光忙着迎检了\n"
        "      - 频繁督查让基层应接不暇，顾不上本职工作\n    keywords: [[疲于应付",
    )
    content = load_files(
        [
            make_root(tmp_path, rubric=rubric) / "prompts" / "templates.yaml",
            tmp_path / "rubrics" / "demo.yaml",
            tmp_path / "prompts" / "demo.yaml",
        ],
        check_quotes=True,
    )
    assert not content.problems
    assert len(content.topics["demo"].points[0].phrasings) == 2


# --------------------------------------------------------------------------- hostile content (issue 16)


@pytest.mark.parametrize("bad", [".nan", ".NaN", ".inf", "-.inf", "1.0e+999"])
def test_non_finite_weight_is_rejected_with_its_line(tmp_path, bad):
    root = make_root(tmp_path, rubric=RUBRIC.replace("weight: 5", f"weight: {bad}"))
    p = only(problems_of(root), "points[0].weight")
    assert p.line == 10 and bad in p.message and "正数" in p.message


def test_non_finite_question_weight_is_rejected(tmp_path):
    prompts = PROMPTS + "    weights: {p1: .inf}\n"
    p = only(problems_of(make_root(tmp_path, prompts=prompts)), "questions[0].weights.p1")
    assert p.line == 7 and ".inf" in p.message


@pytest.mark.parametrize(
    ("bad", "says"),
    [("1.0e+300", "太大"), ("1" + "0" * 400, "太大"), ("9" * 5000, "不是可用的数字")],
)
def test_absurdly_large_weight_is_rejected_not_overflowing(tmp_path, bad, says):
    root = make_root(tmp_path, rubric=RUBRIC.replace("weight: 5", f"weight: {bad}"))
    p = only(problems_of(root), "points[0].weight")
    assert p.line == 10 and says in p.message and len(p.message) < 80


def test_a_nan_weight_never_reaches_a_score(tmp_path, cli):
    root = make_root(tmp_path, rubric=RUBRIC.replace("weight: 5", "weight: .nan"))
    result = cli("--content", str(root), "score", "-q", "demo/q1", "--json", input="基层检查多。")
    assert result.exit_code == 2
    assert "demo.yaml:10: points[0].weight:" in result.stderr
    assert "NaN" not in result.stdout and "100/100" not in result.stdout


def test_non_finite_number_as_text_is_reported(tmp_path):
    root = make_root(tmp_path, rubric=RUBRIC.replace("title: 示例主题", "title: .inf"))
    p = only(problems_of(root), "title")
    assert p.line == 2 and "加引号" in p.message


def test_duplicate_key_is_reported_with_both_lines(tmp_path):
    root = make_root(tmp_path, rubric=RUBRIC.replace("weight: 5", "weight: 4\n    weight: 400"))
    problems = problems_of(root)
    dup = [p for p in problems if p.field == "points[0].weight" and "重复" in p.message]
    assert len(dup) == 1 and dup[0].line == 11 and "第 10 行" in dup[0].message


def test_duplicate_top_level_key_in_prompts(tmp_path):
    prompts = PROMPTS.replace("topic: demo\n", "topic: demo\ntopic: demo\n")
    p = only(problems_of(make_root(tmp_path, prompts=prompts)), "topic")
    assert p.line == 2 and "重复" in p.message


def test_a_merge_key_override_is_not_a_duplicate():
    from trainer.content.yamlsrc import load_yaml_text, structure_problems

    data = load_yaml_text("base: &b {x: 1, y: 2}\nc:\n  <<: *b\n  x: 3\n")
    assert data["c"] == {"x": 3, "y": 2} and structure_problems(data) == []


def test_deep_nesting_is_one_problem_in_validate(tmp_path, cli):
    deep = RUBRIC + "materials: " + "[" * 300 + "]" * 300 + "\n"
    root = make_root(tmp_path, rubric=deep)
    p = only(problems_of(root), "(yaml)")
    assert p.line == 14 and "嵌套太深" in p.message
    result = cli("validate", str(root / "rubrics" / "demo.yaml"))
    assert result.exit_code == 2 and "嵌套太深" in result.stdout
    assert "程序内部错误" not in result.stderr


def test_deep_nesting_in_a_content_dir_is_exit_2_for_list(tmp_path, cli):
    block = "materials:\n" + "".join("  " * i + "-\n" for i in range(1, 300))
    root = make_root(tmp_path, rubric=RUBRIC + block)
    result = cli("--content", str(root), "list")
    assert result.exit_code == 2
    assert "嵌套太深" in result.stderr and "程序内部错误" not in result.stderr


def test_deep_nesting_through_a_chain_of_aliases(tmp_path):
    chain = "".join(f"x{i}: &a{i} [*a{i - 1}]\n" for i in range(1, 400)).replace("[*a0]", "[1]")
    root = make_root(tmp_path, prompts=PROMPTS + chain)
    p = only(problems_of(root), "(yaml)")
    assert "嵌套太深" in p.message


@pytest.mark.parametrize(
    "data",
    ["检查太多，让基层疲惫不堪。".encode("gbk"), b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01"],
)
def test_source_file_that_is_not_utf8_is_one_problem(tmp_path, cli, data):
    root = make_root(tmp_path)
    (root / "rubrics" / "sources" / "d1.txt").write_bytes(data)
    p = only(problems_of(root), "sources[0].file")
    assert p.line == 5 and "sources/d1.txt" in p.message and "UTF-8" in p.message
    result = cli("validate", str(root / "rubrics" / "demo.yaml"))
    assert result.exit_code == 2 and "程序内部错误" not in result.stderr


def test_content_yaml_that_is_not_utf8_names_the_line(tmp_path):
    root = make_root(tmp_path)
    (root / "rubrics" / "demo.yaml").write_bytes(RUBRIC.encode("gbk"))
    p = only(problems_of(root), "(file)")
    assert p.path.endswith("demo.yaml") and p.line == 2 and "UTF-8" in p.message


@pytest.mark.parametrize(("written", "value"), [("010", 8), ("0x1f", 31), ("1_000", 1000)])
def test_numeric_question_id_is_reported_as_written(tmp_path, written, value):
    root = make_root(tmp_path, prompts=PROMPTS.replace("id: q1", f"id: {written}"))
    p = only(problems_of(root), "questions[0].id")
    assert p.line == 3 and f"'{written}'" in p.message and str(value) in p.message
    assert f'"{written}"' in p.message  # how to fix: quote it


def test_numeric_point_id_is_reported(tmp_path):
    root = make_root(tmp_path, rubric=RUBRIC.replace("id: p1", "id: 010"))
    p = only(problems_of(root), "points[0].id")
    assert p.line == 8 and "'010'" in p.message


def test_quoted_numeric_id_is_fine(tmp_path):
    root = make_root(tmp_path, prompts=PROMPTS.replace("id: q1", 'id: "010"'))
    assert problems_of(root) == []


def test_yaml_syntax_error_is_reported_on_the_line_that_opens_it(tmp_path):
    root = make_root(tmp_path, rubric=RUBRIC.replace("title: 示例主题", "title: [未闭合"))
    p = only(problems_of(root), "(yaml)")
    assert p.line == 2 and "[" in p.message and "第 3 行" in p.message


def test_unclosed_quote_is_reported_where_it_opens(tmp_path):
    root = make_root(tmp_path, rubric=RUBRIC.replace("title: 示例主题", 'title: "示例主题'))
    p = only(problems_of(root), "(yaml)")
    assert p.line == 2 and "引号" in p.message


def test_top_level_non_mapping_names_the_field(tmp_path):
    root = make_root(tmp_path, rubric="- a\n- b\n")
    p = only(problems_of(root), "(file)")
    assert p.path.endswith("demo.yaml") and p.line == 1 and "文件顶层" in p.message
    assert all(q.field for q in problems_of(root))


def test_hints_must_be_text(tmp_path):
    prompts = PROMPTS + "    hints: [.nan, {a: 1}]\n"
    problems = problems_of(make_root(tmp_path, prompts=prompts))
    assert {p.field for p in problems} >= {"questions[0].hints[0]", "questions[0].hints[1]"}


@pytest.mark.parametrize("anchor", ["", "&x "])
def test_nesting_limit_is_the_same_with_and_without_anchors(anchor):
    from trainer.content.yamlsrc import MAX_DEPTH, YamlSyntaxError, load_yaml_text

    def nested(levels: int) -> str:
        return "[" * (levels - 1) + f"{anchor}[1]" + "]" * (levels - 1)

    assert load_yaml_text(nested(MAX_DEPTH)) is not None
    with pytest.raises(YamlSyntaxError, match="嵌套太深"):
        load_yaml_text(nested(MAX_DEPTH + 1))
