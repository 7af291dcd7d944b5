from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    replace(DEF, "  - data/*.yaml\n", "  - data/*.yaml\n  - data/../../outside/*.yaml\n"); write(OUTSIDE / "evil.yaml", "title: x\nfile: /etc/passwd\nsource: x\ncolumns:\n  a: {type: text}\n")


main(patch)
