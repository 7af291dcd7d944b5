from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    replace(DEF, "\ndatasets:\n", "\nx-defaults: &chartdefaults\n  format: \"#,##0\"\n  legend: bottom\n\ndatasets:\n"); replace(DEF, "            dataset: gov_toutiao_accounts\n", "            <<: *chartdefaults\n            dataset: gov_toutiao_accounts\n")


main(patch)
