"""Runs tests/ with unittest and ends with one line "N passed, N failed" (clients/README.md).

A skipped test counts as failed: every test here must run. Exit status 3 when any
failed (test.sh tells it from a crash).
"""

import os
import sys
import unittest


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    tests = os.path.join(here, "tests")
    suite = unittest.defaultTestLoader.discover(tests, top_level_dir=tests)
    result = unittest.TextTestRunner(stream=sys.stdout, verbosity=2).run(suite)
    failed = (len(result.failures) + len(result.errors) + len(result.skipped)
              + len(result.unexpectedSuccesses))
    passed = max(result.testsRun - failed, 0)
    if result.testsRun == 0:
        failed += 1  # nothing ran: not a pass
    sys.stderr.flush()
    print(f"{passed} passed, {failed} failed", flush=True)
    return 0 if failed == 0 else 3


if __name__ == "__main__":
    sys.exit(main())
