"""All terminal output (rich) lives in this package: one module per screen.

Renderers take domain objects and a ``rich.console.Console``; they never read
input or touch storage. Tests render into ``Console(file=StringIO(), width=…)``.
"""
