"""The command line: parse arguments, call the engine, map errors to exit codes."""
