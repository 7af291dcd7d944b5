# Extra check after the run: print a reason (one line each) for every failure; print nothing when all is well.
import os
from pathlib import Path

left = sorted(p.name for p in Path(os.environ["BADIN_OUTSIDE"], "empty").iterdir())
if left:
    print(f"wrote through output/ (a symlink) into a folder outside the project: {', '.join(left)}")
