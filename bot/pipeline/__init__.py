"""The orchestration: fetch -> parse -> analyse -> format -> outbox -> deliver, as one recipe.

The scheduler's job, `humasbot poll --once` and the demo all run `Pipeline.poll` (cycle.py) and
`Outbox.deliver` (outbox.py); the rules live in the stage packages, not here.
"""

from bot.pipeline.cycle import CycleReport, Pipeline

__all__ = ["CycleReport", "Pipeline"]
