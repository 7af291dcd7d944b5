"""The engine: runs the stages (input -> resolve -> render) for a report or its editions, caches, writes outputs atomically."""
