"""Runtime assets: fonts with their licences, icons, the visit schema."""

from pathlib import Path

# The window reads its icons and fonts from here as files (Qt wants paths); the
# report reads the fonts through importlib.resources.
FOLDER = Path(__file__).parent
