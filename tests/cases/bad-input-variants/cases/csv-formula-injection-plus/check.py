# Extra check after the run: print a reason (one line each) for every failure; print nothing when all is well.
import os, subprocess, sys
from pathlib import Path

rc = int(os.environ["BADIN_RC"])
err = Path(os.environ["BADIN_WORK"], "stderr").read_text()


def pdf_text():
    pdf = Path("output/egov-2019.pdf")
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout if pdf.exists() else ""


import io, re, zipfile
deck = Path("output/egov-2019.pptx")
if rc == 0 and deck.exists():
    with zipfile.ZipFile(deck) as z:
        for name in z.namelist():
            if name.endswith(".xlsx"):
                with zipfile.ZipFile(io.BytesIO(z.read(name))) as wb:
                    for part in wb.namelist():
                        if part.startswith("xl/worksheets/") and re.search(rb"<f>", wb.read(part)):
                            print(f"formula in {name} ({part})")
