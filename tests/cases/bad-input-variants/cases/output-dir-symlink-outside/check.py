# Extra check after the run: print a reason (one line each) for every failure; print nothing when all is well.
import os, subprocess, sys
from pathlib import Path

rc = int(os.environ["BADIN_RC"])
err = Path(os.environ["BADIN_WORK"], "stderr").read_text()


def pdf_text():
    pdf = Path("output/egov-2019.pdf")
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout if pdf.exists() else ""


if Path(os.environ["BADIN_OUTSIDE"], "out", "egov-2019.pdf").read_text(errors="replace") != "keep me\n":
    print("wrote through output/ (a symlink) over a file outside the project")
