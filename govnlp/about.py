"""Package metadata, in one place (read by setup.cfg)."""

__title__ = "govnlp"
__version__ = "0.1.0"
