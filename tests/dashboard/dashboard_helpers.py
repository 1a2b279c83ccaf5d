"""Small scenario texts and helpers shared by the dashboard tests."""

from __future__ import annotations

import base64

N = 200  # residents in test models (small: the machine is shared)

CAROUSEL = """
[scenario]
name = "test-carrousel"
title = "Testcarrousel"
seed = 5
horizon = "2y"

[neighbourhood]
n_residents = 200

[[policies]]
type = "project_carousel"
name = "carrousel"
start = 0
end = "1y"
projects_per_year = 2
project_weeks = 26
workers = 2
approach = "solving"
"""

PRESENCE = """
[scenario]
name = "test-presentie"
title = "Testpresentie"
seed = 5
horizon = "2y"

[neighbourhood]
n_residents = 200

[[policies]]
type = "long_term_presence"
name = "presentie"
start = 0
workers = 2
hours_per_week = 21
"""

# A misspelt parameter on line 8: the loader names the file, the line and a suggestion.
BAD = """
[scenario]
name = "kapot"
title = "Kapot scenario"
seed = 1

[params]
shock_prob = 0.01
shok_size = 0.3
"""


def payload(name: str, text: str | bytes) -> dict[str, object]:
    """What the upload widget sends for a chosen file."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    return {"name": name, "b64": base64.b64encode(data).decode("ascii"), "n": 1}
