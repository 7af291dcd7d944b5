from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    insert_after(DEF, "            sort: -websites\n", "            where: {province: 四州}\n")


main(patch)
