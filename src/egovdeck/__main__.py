from egovdeck.cli import main

raise SystemExit(main())
