from egovdeck.entry import run

run()
