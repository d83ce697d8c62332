"""`ccsim serve`: a local web app over a folder of scenarios. A manager picks a baseline, changes
levers in a form (or picks saved variants), runs the comparison off the request thread and reads
the recommendation, cost-benefit and the comparison report; a variant made in the form is saved
as a YAML file that `extends` the baseline.

Needs the optional extra: pip install 'ccsim[serve]'.
"""

from __future__ import annotations

INSTALL_HINT = "pip install 'ccsim[serve]'"
DEFAULT_PORT = 8050
DEFAULT_HOST = "127.0.0.1"


def missing() -> str | None:
    """The module the web app needs that is not installed, or None."""
    import importlib.util

    for module in ("starlette", "uvicorn", "jinja2", "multipart"):
        if importlib.util.find_spec(module) is None:
            return module
    return None
