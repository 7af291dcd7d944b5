from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    replace(DEF, "            x: column_type\n            y: columns\n", "            x: column_type\n            y: [columns, columns]\n")


main(patch)
