"""Run every benchmark of the project and print one table of all their figures and ratios.

Where a benchmark measures a floor in the same run (the simplest thing doing the same job: a
minimal Textual app, a plain sort, a constant-answer server), the table shows the figure as a
ratio to it ("x floor"): machines and their load move the ratios far less than the figures.

Each `bench_*.py` runs in its own process (one after another: they measure time and CPU, so
they must not compete). Their own output goes to benchmarks/last_run.log; the table gathers
what each reported through `figures.figure()`. Takes several minutes (the realtime CPU
benchmark alone runs for 60 s). Run: python benchmarks/run_all.py [name ...]
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from figures import MARK

HERE = Path(__file__).resolve().parent
LOG = HERE / "last_run.log"
#: Arguments that keep a full run to a few minutes (each script's default is more thorough).
ARGS = {"bench_demo.py": ["--runs", "15"], "bench_startup.py": ["5"]}


def run(script: Path, log) -> tuple[list[list[str]], float, int]:
    started = time.perf_counter()
    env = {**os.environ, "DATAFAST_BENCH_FIGURES": "1", "PYTHONPATH": str(HERE.parent)}
    proc = subprocess.run([sys.executable, str(script), *ARGS.get(script.name, [])], capture_output=True,
                          text=True, env=env, cwd=HERE.parent)
    elapsed = time.perf_counter() - started
    rows = []
    log.write(f"===== {script.name} (exit {proc.returncode}, {elapsed:.0f} s)\n")
    for line in proc.stdout.splitlines():
        if line.startswith(MARK + "\t"):
            rows.append(line.split("\t")[1:])
        else:
            log.write(line + "\n")
    if proc.stderr.strip():
        log.write("--- stderr\n" + proc.stderr + "\n")
    return rows, elapsed, proc.returncode


def main() -> int:
    wanted = sys.argv[1:]
    scripts = [p for p in sorted(HERE.glob("bench_*.py")) if not wanted or any(w in p.name for w in wanted)]
    table: list[tuple[str, list[str]]] = []
    failures = []
    with LOG.open("w", encoding="utf-8") as log:
        for script in scripts:
            print(f"running {script.name} …", flush=True)
            rows, elapsed, code = run(script, log)
            if code != 0 and not rows:
                failures.append(f"{script.name} exited {code} (see {LOG.name})")
            table += [(script.stem.removeprefix("bench_"), row) for row in rows]
    width = max((len(row[0]) for _, row in table), default=20)
    print(f"\n{'bench':<18} {'figure':<{width}} {'value':>12} {'unit':<8} {'x floor':>8} {'target':<20} verdict")
    for bench, (name, value, unit, target, verdict, *rest) in table:
        ratio = f"{float(rest[0]):.2f}x" if rest and rest[0] else ""
        print(f"{bench:<18} {name:<{width}} {float(value):>12,.2f} {unit:<8} {ratio:>8} {target:<20} {verdict}")
    passed = sum(1 for _, row in table if row[4] == "PASS")
    failed = [row[0] for _, row in table if row[4] == "FAIL"]
    print(f"\n{len(table)} figures from {len(scripts)} benchmarks; {passed} meet their target, "
          f"{len(failed)} do not{': ' + '; '.join(failed) if failed else ''}")
    for failure in failures:
        print(f"ERROR: {failure}")
    print(f"full output of every benchmark: {LOG.relative_to(HERE.parent)}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
