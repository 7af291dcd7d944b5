from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    replace(DEF, "其中省级、市级、县级的降幅仅见于原文，未能在CNNIC报告文本中核实。",
            "其中省级、市级、县级的降幅仅见于原文，未能在CNNIC报告文本中核实。{{ count(\"online_gov_users\", period={\"ge\": \"2018-6\"}) }}")


main(patch)
