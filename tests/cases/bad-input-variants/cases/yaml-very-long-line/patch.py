from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    replace(DEF, "  subject: 在线政务服务用户规模、政府网站与政务新媒体\n", "  subject: " + "政务" * 1_000_000 + "\n")


main(patch)
