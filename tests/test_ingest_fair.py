"""Drafts matched by idea: distinctive keyword groups, drafted phrasings, ingest's fairness check."""

from __future__ import annotations

from pathlib import Path

import pytest

from trainer.ingest.fairness import check, paraphrase, warnings
from trainer.ingest.phrasings import background_terms
from trainer.ingest.pipeline import ingest

RAW = Path(__file__).parent / "data" / "raw"
PAIRS = {
    "trust": ["000_e39a62388ecd3693.txt", "001_3e4d899c15c64ad6.txt"],
    "burden": ["002_0cdac81598041f86.txt", "003_5bb667c1a7767510.txt"],
}
FILLER = {"各项", "发展", "越来越", "近年来", "保障", "问题", "工作"}


def _draft(pair: str):
    return ingest([(n, (RAW / n).read_bytes()) for n in PAIRS[pair]], topic_id=f"t-{pair}")


@pytest.fixture(scope="module", params=sorted(PAIRS))
def draft(request):
    return _draft(request.param)


def test_no_keyword_group_is_filler_or_background(draft):
    background = background_terms([p.text + p.quote for p in draft.points])
    for p in draft.points:
        assert p.keywords, p.id
        for group in p.keywords:
            assert group[0] not in FILLER, (p.id, group)
        heads = [g[0] for g in p.keywords]
        assert not all(h in background for h in heads), (p.id, heads)


def test_a_term_in_a_shipped_group_is_widened_with_it():
    d = _draft("burden")
    songbang = [p for p in d.points if "松绑" in p.text + p.quote]
    assert songbang
    for p in songbang:
        assert any("松绑" in g for g in p.keywords), p.keywords
    widened = [g for p in d.points for g in p.keywords if len(g) > 1]
    assert len(widened) >= len(d.points)


def test_every_point_has_drafted_phrasings(draft):
    with_phrasings = [p for p in draft.points if len(p.phrasings) >= 2]
    assert len(with_phrasings) >= 0.7 * len(draft.points)
    for p in draft.points:
        assert p.text not in p.phrasings
        assert len(set(p.phrasings)) == len(p.phrasings)


def test_paraphrase_is_not_the_sentence():
    thes = {"信任": ["放心", "信得过"]}
    out = paraphrase("上级不信任基层，基层不敢说真话", [["信任", "相信"]], thes)
    assert "信任" not in out and out.endswith("。")
    assert out.index("基层不敢说真话") < out.index("相信")


def test_fairness_check_credits_paraphrased_sources(draft):
    checks = check(draft)
    assert len(checks) == len(draft.points)
    credited = sum(c.credited for c in checks)
    assert credited >= 0.8 * len(checks), warnings(checks)
    for w in warnings(checks):
        assert "只有原句能答中" in w


def test_ingest_prints_the_fairness_verdict(cli, trainer_home):
    r = cli("ingest", *(str(RAW / n) for n in PAIRS["trust"]), "--topic-id", "my-trust")
    assert r.exit_code == 0, r.stderr
    assert "公平性检查" in r.stdout
    text = (trainer_home / "content" / "rubrics" / "my-trust.yaml").read_text(encoding="utf-8")
    assert "    phrasings:" in text
