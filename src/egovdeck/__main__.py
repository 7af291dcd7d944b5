from egovdeck.cli.entry import run

run()
