"""Press-release extraction pipeline: raw press releases in, normalised CSV tables out."""

__version__ = "0.1.0"
