"""villagesite: static tourism websites for the old towns and villages of Guangdong."""

from __future__ import annotations

__version__ = "0.1.0"

from .build import BuildReport, build, check  # noqa: E402
from .config import SiteConfig, load_config  # noqa: E402
from .errors import BuildFailed, Problem, VillageSiteError  # noqa: E402

__all__ = [
    "BuildFailed",
    "BuildReport",
    "Problem",
    "SiteConfig",
    "VillageSiteError",
    "build",
    "check",
    "load_config",
    "__version__",
]
