"""PDF reports (reportlab) rendered from domain.note.NoteContent; no Qt, no store."""
