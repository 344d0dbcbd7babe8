"""One cold note-PDF export in a fresh process; prints the milliseconds it took.

Timed from before the report modules are imported (fonts registered, story built,
file written), as a user's first export after start would be.
"""

import sys
import time

start = time.perf_counter()
from bench.sample import sample_note  # noqa: E402
from sijoint_exam.report.visit_note import write_visit_note  # noqa: E402

write_visit_note(sample_note(), sys.argv[1])
print(f"{(time.perf_counter() - start) * 1000:.1f}")
