"""sijoint-exam: record a sacroiliac-joint examination and write the visit note."""

__version__ = "0.1.0"
