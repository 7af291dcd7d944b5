from egovdeck.cli import run

run()
