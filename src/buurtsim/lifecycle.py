"""Letting go of a model that is no longer used.

Mesa 3.3 counts agent ids per model in a class-level dict on `mesa.Agent` (`Agent._ids`), keyed by
the model itself, so every model ever built stays in memory for the life of the process: a
dashboard server would keep every session's models, a batch worker every run's. `release_model`
removes the model from that dict once it is done with; nothing else of the model is touched.
"""

from __future__ import annotations

from typing import Any


def release_model(model: Any) -> None:
    """Forget mesa's agent-id counter of `model`, so the model can be freed when unreferenced."""
    import mesa

    ids = getattr(mesa.Agent, "_ids", None)
    if isinstance(ids, dict):
        ids.pop(model, None)
