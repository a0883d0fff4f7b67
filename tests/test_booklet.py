"""Printable model answers: md / txt / html / rich, snapshots, and the page in a real browser.

Snapshots live in tests/data/snapshots/; regenerate them after an intended
change with ``UPDATE_SNAPSHOTS=1 python -m pytest tests/test_booklet.py`` and
review the diff. They render the frozen demo topic (tests/data/modelanswer),
so edits to the shipped content do not churn them.
"""

from __future__ import annotations

import difflib
import html
import html.parser
import io
import os
import re
import shutil
import struct
import subprocess
import unicodedata
import zlib
from pathlib import Path

import pytest

from trainer.content.bank import QuestionBank
from trainer.content.loader import load_files
from trainer.modelanswer.assemble import build_model_answer
from trainer.render.booklet import FORMATS, render, to_html, to_markdown, to_text, wrap
from trainer.render.common import make_console
from trainer.render.modelanswer import print_model_answers, render_model_answer

DATA = Path(__file__).parent / "data"
SNAPSHOTS = DATA / "snapshots"


def check_snapshot(name: str, actual: str) -> None:
    path = SNAPSHOTS / name
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    assert path.is_file(), f"missing snapshot {path}; run UPDATE_SNAPSHOTS=1 pytest {__file__}"
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(
            list(
                difflib.unified_diff(
                    expected.splitlines(True), actual.splitlines(True), "expected", "actual"
                )
            )[:80]
        )
        pytest.fail(f"{name} differs from its snapshot (UPDATE_SNAPSHOTS=1 to accept):\n{diff}")


def demo_bank() -> QuestionBank:
    """The frozen demo topic (a copy of trust-gap) with a general and a focused question."""
    demo = DATA / "modelanswer"
    files = ["prompts/templates.yaml", "rubrics/demo-trust.yaml", "prompts/demo-trust.yaml"]
    content = load_files([demo / f for f in files])
    assert content.problems == []
    return QuestionBank(content)


def demo_answer(qid: str = "demo-trust/focused-1"):
    bank = demo_bank()
    q = bank.get(qid)
    return q, bank.rubric(q), build_model_answer(q, bank.rubric(q))


def rich_text(render_fn, width: int = 80) -> str:
    buf = io.StringIO()
    render_fn(make_console(width=width, file=buf))
    return buf.getvalue()


# ----------------------------------------------------------------------------- snapshots


@pytest.mark.parametrize(
    ("name", "fmt", "options"),
    [
        ("focused-1.md", "md", {}),
        ("focused-1.cite.md", "md", {"cite": True}),
        ("focused-1.outline.md", "md", {"outline": True}),
        ("focused-1.txt", "txt", {"cite": True}),
        ("focused-1.outline.txt", "txt", {"outline": True}),
        ("focused-1.html", "html", {"cite": True}),
    ],
)
def test_formats_match_their_snapshots(name, fmt, options):
    _, _, ma = demo_answer()
    check_snapshot(name, render([ma], fmt, **options))


def test_rich_view_matches_its_snapshot():
    q, rubric, _ = demo_answer()
    text = rich_text(lambda c: render_model_answer(c, q, rubric, cite=True))
    check_snapshot("focused-1.rich.txt", text)


def test_general_question_html_matches_its_snapshot():
    _, _, ma = demo_answer("demo-trust/general-1")
    check_snapshot("general-1.html", to_html([ma]))


# ----------------------------------------------------------------------------- every question


@pytest.mark.parametrize("fmt", [*FORMATS, "rich"])
@pytest.mark.parametrize("variant", ["answer", "outline", "cite"])
def test_every_shipped_question_renders_in_every_format(fmt, variant, shipped_bank):
    answers = [build_model_answer(q, shipped_bank.rubric(q)) for q in shipped_bank.questions]
    opts = {"outline": variant == "outline", "cite": variant == "cite"}
    if fmt == "rich":
        out = rich_text(lambda c: print_model_answers(c, answers, **opts), width=100)
    else:
        out = render(answers, fmt, **opts)
    for ma in answers:
        q = ma.question
        assert q.id in out
        probe = q.text[:12] if fmt != "html" else html.escape(q.text[:12])
        if fmt in ("md", "html"):
            probe = probe.replace("*", r"\*")
        assert probe in out.replace("\n", "") or fmt in ("txt", "rich"), (q.id, fmt)
        for s in ma.steps:
            assert s.name in out
        if variant == "outline":
            assert ma.outline[1][1][0].phrase.split(" · ")[0] in out
        else:
            # the closing step's words are there (possibly wrapped in txt/rich)
            tail = ma.steps[-1].text[-8:]
            flat = out.replace("\n", "").replace(" ", "").replace("　", "")
            flat = flat.replace("**", "").replace("<strong>", "").replace("</strong>", "")
            assert tail.replace(" ", "") in flat, (q.id, fmt, tail)
        if variant == "cite" and fmt != "rich":
            assert ma.footnotes[0].quote[:6] in out.replace("\n", "").replace(" ", "")


# ----------------------------------------------------------------------------- markdown


def test_markdown_bolds_key_phrases_and_numbers_footnotes_per_question():
    _, _, ma = demo_answer()
    md = to_markdown([ma, ma], cite=True)
    assert md.startswith("# ")  # a booklet title and contents when there are several
    assert "## 目录" in md and md.count(ma.question.text) >= 2  # listed with its text
    assert md.count("\n---\n") == 2  # after the contents, between the questions
    assert "**检查**" in md
    assert "[^1-1]" in md and "[^2-1]" in md
    assert "[^1-1]: 《" in md
    assert "****" not in md  # adjacent phrases merge into one bold run


def test_markdown_escapes_markup_in_content():
    bank = demo_bank()
    q = bank.custom_question("demo-trust", "有人说*一切*都要_留痕_ [见文件] #1，你怎么看？")
    md = to_markdown([build_model_answer(q, bank.rubric(q))])
    assert r"\*一切\*" in md and r"\_留痕\_" in md and r"\[见文件\]" in md


# ----------------------------------------------------------------------------- plain text


def _cols(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


@pytest.mark.parametrize("width", [30, 40, 64, 80])
def test_text_wraps_to_width_without_breaking_punctuation_rules(width, shipped_bank):
    answers = [build_model_answer(q, shipped_bank.rubric(q)) for q in shipped_bank.questions[:4]]
    txt = to_text(answers, cite=True, width=width)
    lines = [ln for ln in txt.splitlines() if ln and ln != "\f"]
    assert max(_cols(ln) for ln in lines) <= width
    for ln in lines:
        assert ln.lstrip(" \f")[:1] not in set("，。、；：？！）》”’")
        assert ln[-1:] not in set("（《“‘")
    # the contents, then each question starts a new page
    assert txt.count("\f") == len(answers)
    contents = txt.split("\f")[0]
    assert "目录" in contents
    for ma in answers:
        assert ma.question.id in contents


def test_wrap_keeps_every_character_and_ascii_words_whole():
    text = "政务APP和微信工作群泛滥，让数据多跑路、基层少跑腿，30多人的工作组。" * 3
    lines = wrap(text, 20, indent="  ", first="> ")
    assert lines[0].startswith("> ") and all(ln.startswith("  ") for ln in lines[1:])
    rebuilt = lines[0][2:] + "".join(ln[2:] for ln in lines[1:])
    assert rebuilt == text
    assert all("AP\n" not in ln for ln in lines)
    assert not any(ln.endswith(("A", "AP")) for ln in lines)


def test_text_is_plain():
    _, _, ma = demo_answer()
    txt = to_text([ma], cite=True)
    assert "\x1b" not in txt and "<" not in txt and "**" not in txt
    assert "[1]" in txt
    # an 观点类 answer is headed by its type's steps, not the rubric's sections
    assert "【表态】" in txt and "【分析】" in txt and "【点题】" not in txt


# ----------------------------------------------------------------------------- html


class _Checker(html.parser.HTMLParser):
    VOID = {"meta", "br", "img", "link", "hr", "input"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.tags: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.scripts += tag == "script"
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}> (open: {self.stack[-3:]})")
        else:
            self.stack.pop()


def test_html_is_well_formed_self_contained_and_printable(shipped_bank):
    answers = [build_model_answer(q, shipped_bank.rubric(q)) for q in shipped_bank.questions]
    page = to_html(answers, cite=True)
    checker = _Checker()
    checker.feed(page)
    assert checker.errors == [] and checker.stack == []
    assert checker.scripts == 0
    assert "http://" not in page and "https://" not in page  # nothing fetched
    assert "@page { size: A4" in page
    assert "page-break-after: always" in page
    # one page per question, plus the contents page
    assert page.count('<article class="page') == len(answers)
    assert page.count("<h2>") == sum(len(ma.parts) for ma in answers)
    assert page.count("<strong>") > 10 * len(answers)
    for ma in answers:
        assert f'href="#q-{ma.question.id.replace("/", "-")}"' in page


def test_html_escapes_content():
    bank = demo_bank()
    q = bank.custom_question("demo-trust", "<script>alert('x')</script> & “引号”？")
    page = to_html([build_model_answer(q, bank.rubric(q))])
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp;" in page


# ----------------------------------------------------------------------------- real browser


def _has_cjk_font() -> bool:
    fc = shutil.which("fc-list")
    if fc is None:
        return False
    found = subprocess.run([fc, ":lang=zh"], capture_output=True, text=True, check=False)
    return bool(found.stdout.strip())


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        if path := shutil.which(name):
            return path
    return None


def _png_rows(data: bytes) -> tuple[int, int, bytes]:
    """Width, height and the decompressed (still filtered) scanlines of a PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height = 8, b"", 0, 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    return width, height, zlib.decompress(idat)


CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
needs_chromium = pytest.mark.skipif(
    _chromium() is None, reason="chromium not installed (CI installs it)"
)


def _run_chromium(tmp_path: Path, *args: str) -> None:
    """Headless chromium with its profile, crash reports and caches under ``tmp_path``, not ~."""
    env = {
        **os.environ,
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }
    cmd = [_chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args]
    subprocess.run(cmd, capture_output=True, timeout=180, check=False, env=env)


def screenshot_shows_a_page(tmp_path: Path, page: Path) -> Path:
    """Screenshot ``page`` at A4 size (1240×1754) and assert it shows a page of text."""
    shot = page.with_suffix(".png")
    _run_chromium(tmp_path, f"--screenshot={shot}", "--window-size=1240,1754", page.as_uri())
    assert shot.is_file(), "chromium wrote no screenshot"
    data = shot.read_bytes()
    width, height, raw = _png_rows(data)
    assert (width, height) == (1240, 1754)
    # A blank page compresses to a few KB and its scanlines hold one or two byte
    # values; a page of text is far larger and varied.
    assert len(data) > 40_000, len(data)
    assert len(set(raw)) > 64
    return shot


@needs_chromium
def test_html_page_renders_in_headless_chromium(tmp_path):
    _, _, ma = demo_answer()
    page = tmp_path / "answer.html"
    page.write_text(to_html([ma], cite=True), encoding="utf-8")
    shot = screenshot_shows_a_page(tmp_path, page)
    if os.environ.get("KEEP_SCREENSHOT"):
        shutil.copy(shot, os.environ["KEEP_SCREENSHOT"])


@needs_chromium
@pytest.mark.skipif(not _has_cjk_font(), reason="no CJK font: print layout is not meaningful")
@pytest.mark.parametrize("cite", [False, True])
def test_booklet_prints_one_a4_page_per_question(tmp_path, cite, shipped_bank):
    """The whole booklet printed to PDF: a contents page, then exactly one page per question."""
    answers = [build_model_answer(q, shipped_bank.rubric(q)) for q in shipped_bank.questions]
    page = tmp_path / "booklet.html"
    page.write_text(to_html(answers, cite=cite), encoding="utf-8")
    pdf = tmp_path / "booklet.pdf"
    _run_chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    assert pdf.is_file(), "chromium wrote no PDF"
    data = pdf.read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
    # the contents alone (every question's text) may run over a page or two
    contents = tmp_path / "contents.html"
    contents.write_text(re.sub(r"<article .*?</article>", "", page.read_text(), flags=re.S))
    cpdf = tmp_path / "contents.pdf"
    _run_chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={cpdf}", contents.as_uri())
    cover = len(re.findall(rb"/Type\s*/Page[^s]", cpdf.read_bytes()))
    assert 1 <= cover <= 1 + len(answers) // 12
    assert pages == len(answers) + cover
    # A4 is 595 x 842 points
    assert re.search(rb"/MediaBox\s*\[\s*0 0 59[45]\.?\d* 84[12]", data)
