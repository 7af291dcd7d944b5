from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    insert_after(DEF, "            y: decrease_pct\n", "            where: {level: 不存在}\n")


main(patch)
