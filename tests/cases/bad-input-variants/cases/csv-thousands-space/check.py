# Extra check after the run: print a reason (one line each) for every failure; print nothing when all is well.
import os, subprocess, sys
from pathlib import Path

rc = int(os.environ["BADIN_RC"])
err = Path(os.environ["BADIN_WORK"], "stderr").read_text()


def pdf_text():
    pdf = Path("output/egov-2019.pdf")
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout if pdf.exists() else ""


if rc == 1 and "data/gov_websites_total.csv:3:2" not in err:
    print("exit 1 but not located at data/gov_websites_total.csv:3:2")
if rc == 0 and "14,474" not in pdf_text():
    print("exit 0 but the PDF does not say 14,474")
