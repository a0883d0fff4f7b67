"""Ingest, step 1: decode a raw article and keep only its body.

Raw 热点 articles are pasted from news sites and document shares: spam titles,
breadcrumbs, VIP/download notices, 图源 captions, share counters, "相关阅读"
footers. Cleaning works per line in two passes:

1. Every line is classified: blank, a *boilerplate* line (matched by a named
   pattern — nav, spam, copyright/site notice, download/VIP notice, image
   caption, counter, metadata, footer marker), or a *text* line. Text lines
   with sentence punctuation are *prose*.
2. The article body is the contiguous run of lines with the highest score
   (maximum-subarray, as in Finn et al.'s Body Text Extraction): prose lines
   score their length, headings a small penalty, boilerplate a large one and
   footer markers ("责任编辑", "相关阅读", "文档评论"…) so large that the body
   never crosses them. Short lines outside the run (a title list in a footer,
   a site name) are dropped; inside it only pattern-matched lines are.

Boilerplate patterns drop a line anywhere, so they are deliberately narrow;
the run selection catches the rest. Every dropped line is reported with its
reason. Metadata lines (来源/日期) are mined for publisher and date before they
are dropped; the title comes from "原标题" or the first title-like line above
the body. Output text is Simplified Chinese (OpenCC t2s via ``trainer.text``)
with ASCII punctuation between Chinese characters turned full-width, so a
cleaned file reads like the hand-cleaned sources in ``rubrics/sources/``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from trainer.errors import InputError
from trainer.text import content_length, to_simplified

#: Human-readable names of the reasons a line is dropped (shown in the summary).
REASONS: dict[str, str] = {
    "spam": "垃圾/广告",
    "nav": "导航/栏目",
    "notice": "版权/站务声明",
    "download": "下载/会员提示",
    "caption": "图片说明",
    "counter": "阅读/评论计数",
    "meta": "来源/日期/署名",
    "footer": "页脚/推荐",
    "outside": "正文之外",
}

_URL_RE = re.compile(r"(https?://|www\.)[\w\-./?%&=#:~+]*|[\w.\-]+@[\w\-]+\.[\w.\-]+", re.I)
_DATE_RE = re.compile(r"(20\d\d|19\d\d)[-/.年](\d{1,2})[-/.月](\d{1,2})日?")
_PROSE_PUNCT = set("，。；！？,;!?")

# Each pattern is matched against the NFKC-folded, Simplified form of a line.
_SPAM_WORDS = re.compile(
    r"欧美|午夜|在线观看|在线播放|在线视频|毛片|三级|伦理片|色综合|蜘蛛池|美女|丝袜|"
    r"精品视频|精品自拍|一区二区|人妻|国产精品|久久精品|免费观看|成人|日韩|亚洲|a一级"
)
_NOTICE = re.compile(
    r"侵权|版权所有|版权申诉|版权声明|著作权|免责声明|转载请|未经授权|严禁复制|ICP备|"
    r"网友上传|网友发布|转自其他网站|仅供个人|仅供研究|仅供参考|本站|本网站|联系我们|违规举报",
    re.I,
)
_DOWNLOAD = re.compile(r"VIP|会员|付费|下载|退款|扫码|二维码|关注公众号|上传文档|积分换礼", re.I)
_CAPTION = re.compile(
    r"图源[:：]|图片来源|^图[:：]|[（(]?(记者\S{0,6})?摄[）)]?$|资料图|视觉中国|供图$"
)
_COUNTER = re.compile(
    r"(浏览|阅读|评论|点赞|收藏|分享|转发)(量|数|次)?[:：]?\s*[(（]?\d+|^打赏$|分享到|"
    r"\d+\s*(人|次)(阅读|浏览|点赞|评论)"
)
_NAV = re.compile(
    r"网站首页|首页\s*[>|]|关于我们|联系方式|网站地图|使用协议|广告服务|RSS|Powered\s+By|"
    r"^(登录|注册|登录注册|返回顶部|上一篇|下一篇|正文)$|^推广\b|热搜[:：]",
    re.I,
)
_META = re.compile(
    r"^(来源|稿源|日期|时间|发布时间|发布日期|作者|记者|编辑|责编|通讯员)[:：]|"
    r"^\S{0,12}记者[:：]|^\S{0,8}(来源|日期)[:：].{0,40}\d{4}-\d\d-\d\d"
)
_FOOTER = re.compile(
    r"^(责任编辑|原标题|相关阅读|延伸阅读|相关新闻|相关评论|猜你喜欢|热门评论|频道推荐|新闻推荐|"
    r"专题推荐|推荐图文|推荐资讯|推荐阅读|热门推荐|点击排行|精彩视频|视觉焦点|文档评论|"
    r"\d+小时点击排行|\d*相关评论)"
)
_NUMBERED_HEADING = re.compile(
    r"^([一二三四五六七八九十]+、|\d+[.、．]|[(（][一二三四五六七八九十\d]+[)）]|第[一二三四五六七八九十]+[步部分章节])"
)


@dataclass(frozen=True)
class DroppedLine:
    lineno: int  # 1-based line number in the raw document
    text: str
    reason: str  # a key of REASONS


@dataclass
class CleanDoc:
    """One raw document after cleaning."""

    name: str  # the path or "-" as given
    title: str = ""
    publisher: str = ""
    date: str = ""
    body: str = ""  # cleaned, Simplified article body; paragraphs separated by "\n"
    kept: int = 0  # non-blank raw lines kept in the body
    dropped: list[DroppedLine] = field(default_factory=list)
    encoding: str = "utf-8"

    @property
    def has_body(self) -> bool:
        n = content_length(self.body)
        # A short pasted article ("近日…。…原因…。要…。") is a body; three stray menu
        # words are not — they have no sentence ends.
        return n >= MIN_BODY_CHARS or (
            n >= MIN_SHORT_BODY_CHARS and len(re.findall(r"[。！？]", self.body)) >= 3
        )

    def cleaned_text(self) -> str:
        """The text written to ``sources/<id>-N.txt``: a small header, then the body."""
        head = [f"标题：{self.title}"] if self.title else []
        if self.publisher:
            head.append(f"来源：{self.publisher}")
        if self.date:
            head.append(f"日期：{self.date}")
        return ("\n".join(head) + "\n\n" if head else "") + self.body + "\n"


MIN_BODY_CHARS = 80
MIN_SHORT_BODY_CHARS = 40  # …with at least three full sentences


def decode_bytes(data: bytes, name: str) -> tuple[str, str]:
    """Decode raw bytes: UTF-8 (with or without BOM) first, then GB18030.

    GB18030 is a superset of GBK/GB2312, which covers what Chinese Windows
    tools and older sites save. Text that is neither is refused with a hint.
    """
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        return text.replace("\r\n", "\n").replace(
            "\r", "\n"
        ), "utf-8" if enc == "utf-8-sig" else enc
    raise InputError(
        f"{name}: 无法识别文件编码（既不是 UTF-8 也不是 GB18030）；请另存为 UTF-8 后重试"
    )


def _fold(line: str) -> str:
    """NFKC + Simplified, for classification only (the output keeps its own punctuation)."""
    return to_simplified(unicodedata.normalize("NFKC", line)).strip()


def _is_prose(folded: str) -> bool:
    return any(c in _PROSE_PUNCT for c in folded)


def _looks_like_list(folded: str) -> bool:
    """A run of short items separated by spaces, '|', '-' or '>': a menu or link list."""
    if _is_prose_sentence(folded):
        return False
    items = [x for x in re.split(r"\s*[|>·•]\s*|\s+", folded) if x]
    if len(items) < 4:
        return False
    short = sum(1 for x in items if len(x) <= 14)
    return short >= 0.75 * len(items)


def _is_prose_sentence(folded: str) -> bool:
    """Real prose: a sentence ender or several commas, and few spaces."""
    return ("。" in folded or folded.count(",") >= 2) and folded.count(" ") <= 2


def classify_line(folded: str) -> str | None:
    """The boilerplate reason for a (folded) line, or None for a text line."""
    if not folded:
        return None
    if _FOOTER.search(folded):
        return "footer"
    if len(_SPAM_WORDS.findall(folded)) >= 2:
        return "spam"
    if _NAV.search(folded) and not _is_prose_sentence(folded):
        return "nav"
    if _NOTICE.search(folded):
        return "notice"
    if (
        _DOWNLOAD.search(folded)
        and not _is_prose_sentence(folded)
        or re.search(r"VIP|下载权益|成为会员", folded)
    ):
        return "download"
    if _CAPTION.search(folded):
        return "caption"
    if _META.search(folded):
        return "meta"
    if _COUNTER.search(folded) and content_length(_COUNTER.sub("", folded)) < 30:
        return "counter"
    if _NAV.search(folded) or _looks_like_list(folded):
        return "nav"
    stripped = _URL_RE.sub("", folded)
    if stripped != folded and content_length(stripped) < 10:
        return "nav"
    return None


# Scores for the maximum-subarray body selection.
_PENALTY = {
    "footer": -400,
    "spam": -200,
    "notice": -120,
    "download": -120,
    "nav": -40,
    "counter": -30,
    "meta": -20,
    "caption": -20,
}
_HEADING_PENALTY = -6


def _line_score(folded: str, reason: str | None) -> int:
    if reason is not None:
        return _PENALTY[reason]
    n = content_length(folded)
    return n if _is_prose(folded) and n >= 12 else _HEADING_PENALTY


def _best_run(scores: list[int | None]) -> tuple[int, int, int]:
    """Maximum-sum contiguous run over scored lines (None = blank, skipped); (start, end, sum)."""
    best = (0, -1, 0)
    cur_start, cur_sum = None, 0
    for i, s in enumerate(scores):
        if s is None:
            continue
        if cur_start is None or cur_sum <= 0:
            cur_start, cur_sum = i, s
        else:
            cur_sum += s
        if cur_sum > best[2]:
            best = (cur_start, i, cur_sum)
    return best


def _tidy(line: str) -> str:
    """Output form of a kept line: Simplified, URLs removed, markup and indentation stripped."""
    text = to_simplified(line)
    text = _URL_RE.sub("", text)
    text = text.replace("**", "").replace("\u3000", " ").replace("\xa0", " ")
    text = re.sub(r"^\s*[-•◎●▲■]\s*", "", text).strip()
    # ASCII punctuation next to Chinese characters → full-width (001 uses ASCII commas).
    cjk = r"[\u4e00-\u9fff“”‘’]"
    for ascii_p, full in ((",", "，"), (":", "："), (";", "；"), ("?", "？"), ("!", "！")):
        text = re.sub(rf"(?<={cjk}){re.escape(ascii_p)}|{re.escape(ascii_p)}(?={cjk})", full, text)
    return text


def _title_from(folded_raw: str) -> tuple[str, str]:
    """Split a site suffix off a title ("X | 焦点网谈" → ("X", "焦点网谈"))."""
    parts = re.split(r"\s+[|｜_]\s+|\s+-\s+", folded_raw, maxsplit=1)
    title = parts[0].strip()
    suffix = parts[1].strip() if len(parts) > 1 else ""
    return title, suffix


def _mine_meta(folded: str, doc: CleanDoc) -> None:
    m = re.search(r"(来源|稿源)[:：]\s*([^\s\d|]{2,20})", folded)
    if m and not doc.publisher:
        doc.publisher = m.group(2)
    d = _DATE_RE.search(folded)
    if d and not doc.date:
        doc.date = f"{d.group(1)}-{int(d.group(2)):02d}-{int(d.group(3)):02d}"


def clean_text(text: str, name: str = "-") -> CleanDoc:
    """Clean one decoded document (see module doc)."""
    doc = CleanDoc(name=name)
    raw_lines = text.split("\n")
    folded = [_fold(x) for x in raw_lines]
    reasons = [classify_line(f) for f in folded]
    scores: list[int | None] = [
        None if not f else _line_score(f, r) for f, r in zip(folded, reasons, strict=True)
    ]
    start, end, total = _best_run(scores)
    original_title = ""
    for f, reason in zip(folded, reasons, strict=True):
        m = re.match(r"^原标题[:：]\s*(.+)$", f)
        if m:
            original_title = m.group(1).strip()
        if reason in ("meta", "counter") or reason == "nav" and "来源" in f:
            _mine_meta(f, doc)
    # Title: "原标题" if present, else the first title-like line above the body.
    title_idx = None
    if end >= start:
        for i in range(start):
            f = folded[i]
            if not f or reasons[i] is not None or _NUMBERED_HEADING.match(f):
                continue
            if 4 <= content_length(f) <= 60 and "。" not in f:
                title_idx = i
                break
    if title_idx is not None:
        doc.title, suffix = _title_from(folded[title_idx])
        if suffix and not _DATE_RE.search(suffix):
            doc.publisher = suffix
        # Numbered headings between the title and the first prose line belong to the body.
        start = min([start] + [i for i in range(title_idx + 1, start) if reasons[i] is None])
    if original_title:
        doc.title = original_title
    if title_idx is None and end >= start:
        # No title above the body: a short first line without a full stop is the title
        # (news pages often put the headline right before the first paragraph).
        f = folded[start]
        if content_length(f) <= 40 and "。" not in f:
            title_idx = start
            doc.title = doc.title or _title_from(f)[0]
    doc.title = _tidy(doc.title)
    body: list[str] = []
    for i, (raw, f, reason) in enumerate(zip(raw_lines, folded, reasons, strict=True)):
        if not f:
            continue
        inside = start <= i <= end and total > 0
        if i == title_idx:
            continue
        if reason is None and inside:
            line = _tidy(raw)
            if content_length(line):
                body.append(line)
                doc.kept += 1
                continue
        doc.dropped.append(DroppedLine(i + 1, raw.strip(), reason or "outside"))
    doc.body = "\n".join(_join_wrapped(body))
    return doc


def _join_wrapped(lines: list[str]) -> list[str]:
    """Re-join a paragraph that a hard line break cut mid-sentence ("…干事创" / "业的空间…")."""
    out: list[str] = []
    for line in lines:
        prev = out[-1] if out else ""
        if (
            content_length(prev) >= 30
            and re.search(r"[\u4e00-\u9fff]$", prev)
            and re.match(r"[\u4e00-\u9fff]", line)
            and not _NUMBERED_HEADING.match(line)
        ):
            out[-1] = prev + line
        else:
            out.append(line)
    return out


def clean_bytes(data: bytes, name: str) -> CleanDoc:
    """Decode (UTF-8 / GB18030) and clean one raw document."""
    text, encoding = decode_bytes(data, name)
    doc = clean_text(text, name)
    doc.encoding = encoding
    return doc
