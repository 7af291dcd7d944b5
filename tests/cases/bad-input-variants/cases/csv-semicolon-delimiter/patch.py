from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    p = Path("data/gov_websites_total.csv"); import csv, io; rows = list(csv.reader(io.StringIO(p.read_text(encoding="utf-8")))); buf = io.StringIO(); csv.writer(buf, delimiter=";", lineterminator="\n").writerows(rows); p.write_text(buf.getvalue(), encoding="utf-8")


main(patch)
