"""One cold bare-reportlab export in a fresh process: the cold baseline.

    python -m bench.bare_once TEXTS.json TARGET.pdf

Prints the milliseconds from before reportlab is imported to the file written
(the texts read from JSON, the fonts registered, the document built), the same
span `export_once` times for the note once the note is built.
"""

import sys
import time

start = time.perf_counter()
import json  # noqa: E402
from pathlib import Path  # noqa: E402

from bench.bare_pdf import write_bare_pdf  # noqa: E402

write_bare_pdf(json.loads(Path(sys.argv[1]).read_text("utf-8")), sys.argv[2])
print(f"{(time.perf_counter() - start) * 1000:.1f}")
