"""The fuzz suite: seeded malformed inputs run through the real ``migsim`` entry point."""
