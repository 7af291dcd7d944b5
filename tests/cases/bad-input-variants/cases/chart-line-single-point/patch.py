from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    insert_after(DEF, "            y: accounts\n            format: \"#,##0\"\n            y_title: 个\n            end_labels: false\n", "            where: {period: \"2019-12\"}\n")


main(patch)
