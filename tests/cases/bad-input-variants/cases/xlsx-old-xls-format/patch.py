from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    import zipfile
    Path("data/homepage_updates.csv").unlink()
    replace("data/homepage_updates.yaml", "file: homepage_updates.csv", "file: homepage_updates.xls")
    write_bytes("data/homepage_updates.xls", bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 4088)


main(patch)
