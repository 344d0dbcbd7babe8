"""One cold note-PDF export in a fresh process; prints two figures in milliseconds.

    python -m bench.export_once TARGET.pdf

The first is timed from before anything of the program is imported: the sample
note built (the domain imported), then the report modules imported, the fonts
registered, the story built and the file written. The second is the same span
from the built note on, as a user's first export after start would be (the
window has imported the domain by then); `bare_once` times the same span for
the bare reportlab document.
"""

import sys
import time

start = time.perf_counter()
from bench.sample import sample_note  # noqa: E402

note = sample_note()
built = time.perf_counter()
from sijoint_exam.report.visit_note import write_visit_note  # noqa: E402

write_visit_note(note, sys.argv[1])
done = time.perf_counter()
print(f"{(done - start) * 1000:.1f} {(done - built) * 1000:.1f}")
