"""Reusable widgets of the exam form."""
