from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    import shutil; Path("data/sub").mkdir(); shutil.move("data/gov_websites_total.csv", "data/sub/gov_websites_total.csv"); replace("data/gov_websites_total.yaml", "file: gov_websites_total.csv", "file: sub\\\\gov_websites_total.csv")


main(patch)
