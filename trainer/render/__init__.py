"""All terminal output (rich) lives in this package: one module per screen.

Renderers take domain objects and a ``rich.console.Console``; they never read
input or touch storage. Tests render into ``Console(file=StringIO(), width=…)``.
User and content text goes through ``common.clean`` / ``common.markup_clean``, so no
control sequence from an answer, a question or an import reaches the terminal.
"""
