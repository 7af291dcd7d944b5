# Extra check after the run: print a reason (one line each) for every failure; print nothing when all is well.
import os, subprocess, sys
from pathlib import Path

rc = int(os.environ["BADIN_RC"])
err = Path(os.environ["BADIN_WORK"], "stderr").read_text()


def pdf_text():
    pdf = Path("output/egov-2019.pdf")
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout if pdf.exists() else ""


import zipfile
deck = Path("output/egov-2019.pptx")
if rc == 0 and deck.exists():
    with zipfile.ZipFile(deck) as z:
        for n in z.namelist():
            if n.startswith("ppt/charts/chart") and n.endswith(".xml"):
                x = z.read(n).decode("utf-8")
                if "在线政务服务用户规模" in x and "2018年12月" not in x:
                    print(f"silent wrong data: where period >= 2018-6 dropped 2018-12 ({n} has no 2018年12月): compared as text, not in time order")
