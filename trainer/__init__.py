"""公考结构化面试「综合分析 · 你怎么看」答题训练器.

One package per part; imports flow one way (docs/architecture.md maps every module):
cli → render / session → scoring / content / history / modelanswer / ingest → models / text.
Only ``trainer.cli`` imports typer; only ``trainer.render`` imports rich; only
``trainer.scoring`` imports rapidfuzz; only ``trainer.session.editor`` imports
prompt_toolkit (enforced by ruff's banned-api rule, see pyproject.toml).
"""

__version__ = "0.1.0"
