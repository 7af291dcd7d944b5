from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    insert_after(DEF, "            legend: bottom\n", "            colors: {\"2018-12\": blue}\n")


main(patch)
