"""Briefapp: draft, review and export ministerial procurement decision briefs."""

__version__ = "0.1.0"
