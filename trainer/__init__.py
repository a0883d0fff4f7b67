"""公考结构化面试「综合分析 · 你怎么看」答题训练器.

Layering (imports flow one way):
cli → session / render / store → scorer / content / questions → models / text.
Only ``trainer.cli`` imports typer; only ``trainer.render`` imports rich;
only ``trainer.scorer`` imports rapidfuzz.
"""

__version__ = "0.1.0"
