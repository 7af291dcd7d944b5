from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    replace(DEF, "            format: \"0.00%\"\n", "            format: \"0." + "0" * 100000 + "%\"\n")


main(patch)
