"""The hardening suite: hostile input, crashes, concurrency and terminals, one test per case."""
