from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    import os; Path("data/gov_websites_total.csv").unlink(); os.mkfifo("data/gov_websites_total.csv")


main(patch)
