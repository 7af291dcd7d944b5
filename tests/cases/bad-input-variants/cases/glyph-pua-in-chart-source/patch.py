from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    insert_after(DEF, "            y_title: 同比降幅（%）\n", "            source: 资料来源：测试\n")


main(patch)
