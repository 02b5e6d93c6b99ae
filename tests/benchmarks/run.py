"""Benchmarks: wall time and peak memory of adrgen's commands at N records, with baselines.

    make bench                      # N = 100, 1000, 5000
    python tests/benchmarks/run.py --sizes 100 1000 --repeat 3

Every figure is the median of several runs, measured with /usr/bin/time (wall seconds and
maximum resident set size); each is printed beside the baseline measured in the same run.
The table is printed and written to benchmarks/results.json (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE))
from make_corpus import make_corpus  # noqa: E402

from adrgen.records.parse import split_front_matter  # noqa: E402

PYTHON = sys.executable
BIN = Path(PYTHON).parent
ADRGEN = str(BIN / "adrgen")
MKDOCS = str(BIN / "mkdocs")
TIME = "/usr/bin/time"
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1")

SITE_CONFIG = """site_name: bench
site_dir: {out}
docs_dir: docs
theme:
  name: material
  font: false
  features:
    - navigation.prune
    - navigation.sections
plugins:
  - search
  - tags
  - adrgen:
      records:
        - {records}
      wizard: {wizard}
markdown_extensions:
  - admonition
  - attr_list
  - tables
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format
"""

STOCK_CONFIG = """site_name: stock
site_dir: {out}
docs_dir: docs
theme:
  name: material
  font: false
plugins:
  - search
nav:
{nav}
"""

ANSWERS = REPO / "examples" / "answers" / "cli-build-daemon.yaml"
# what a command cannot avoid importing: the floor its start-up is compared with
CLI_FLOOR = [PYTHON, "-c", "import click"]
LIBRARY_FLOOR = [PYTHON, "-c", "import pydantic, jinja2, yaml, click"]
STARTUP_RUNS = 7


def _timed(args: list[str], cwd: Path | None, ok: tuple[int, ...]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one run."""
    with tempfile.NamedTemporaryFile("r") as report:
        started = time.perf_counter()
        result = subprocess.run(
            [TIME, "-f", "%M", "-o", report.name, *args],
            cwd=cwd,
            env=ENV,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        elapsed = time.perf_counter() - started
        peak_kb = int(report.read().strip().splitlines()[-1] or 0)
    if result.returncode not in ok:
        raise SystemExit(f"failed ({result.returncode}): {' '.join(args)}\n{result.stderr}")
    return elapsed, peak_kb / 1024


def measure(
    args: list[str],
    repeat: int,
    cwd: Path | None = None,
    setup=None,
    ok=(0,),
    floor: list[str] | None = None,
) -> dict:
    """Median wall time (s) and peak RSS (MB) of a command over `repeat` runs.

    With `floor`, the floor command runs just before each run, so the ratio compares runs
    made under the same conditions (a shared machine's speed drifts within minutes).
    """
    times, memory, ratios, floors, floor_memory = [], [], [], [], []
    for _ in range(repeat):
        if setup:
            setup()
        if floor:
            floor_seconds, floor_peak = _timed(floor, None, (0,))
            floors.append(floor_seconds)
            floor_memory.append(floor_peak)
        elapsed, peak = _timed(args, cwd, ok)
        times.append(elapsed)
        memory.append(peak)
        if floor:
            ratios.append(elapsed / floors[-1])
    result = {
        "seconds": statistics.median(times),
        "peak_mb": statistics.median(memory),
        "runs": repeat,
    }
    if floor:
        result["floor_seconds"] = statistics.median(floors)
        result["floor_peak_mb"] = statistics.median(floor_memory)
        result["floor_runs"] = floors
        result["ratio"] = statistics.median(ratios)
    return result


def folder_size(path: Path) -> tuple[float, int]:
    files = [p for p in path.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files) / 1e6, len(files)


def bench_size(n: int, work: Path, repeat: int, stock_limit: int, serve_limit: int) -> dict:
    records = work / f"records-{n}"
    make_corpus(records, n)
    results: dict[str, dict] = {}

    def run(name: str, args: list[str], times: int = repeat, **kw) -> None:
        results[name] = measure(args, times, **kw)
        print(
            f"  {name:<28} {results[name]['seconds']:7.3f} s  {results[name]['peak_mb']:7.1f} MB",
            flush=True,
        )

    # start-up figures are a tenth of a second: more runs keep their medians steady
    startup_runs = max(repeat, STARTUP_RUNS)
    run(
        "adrgen catalog validate",
        [ADRGEN, "catalog", "validate"],
        startup_runs,
        floor=LIBRARY_FLOOR,
    )
    run(
        "adrgen recommend",
        [ADRGEN, "recommend", "--answers", str(ANSWERS)],
        startup_runs,
        floor=LIBRARY_FLOOR,
    )
    scratch = work / f"new-{n}"
    shutil.copytree(records, scratch)
    copied = set(os.listdir(scratch))

    def remove_new_record() -> None:
        # rather than copying the folder again: making a file just after deleting
        # thousands is slow on ext4, and would be measured as `new`'s own time
        for name in set(os.listdir(scratch)) - copied:
            os.unlink(scratch / name)

    run(
        "adrgen new --no-input",
        [ADRGEN, "new", "--answers", str(ANSWERS), "--no-input", "--dir", str(scratch)],
        startup_runs,
        setup=remove_new_record,
        floor=LIBRARY_FLOOR,
    )
    subprocess.run(
        [ADRGEN, "list", "--dir", str(records)], env=ENV, capture_output=True
    )  # warm the cache
    run("adrgen list", [ADRGEN, "list", "--dir", str(records)])
    # lint exits 1 when it finds problems (the corpus has some on purpose)
    run("adrgen lint", [ADRGEN, "lint", "--dir", str(records)], ok=(0, 1))
    cold_env_dir = work / "cold-cache"

    def drop_cache() -> None:
        shutil.rmtree(cold_env_dir, ignore_errors=True)
        ENV["ADRGEN_CACHE_DIR"] = str(cold_env_dir)

    saved_cache = ENV.get("ADRGEN_CACHE_DIR")
    run(
        "adrgen lint (cold cache)",
        [ADRGEN, "lint", "--dir", str(records)],
        setup=drop_cache,
        ok=(0, 1),
    )
    if saved_cache is None:
        ENV.pop("ADRGEN_CACHE_DIR", None)
    else:
        ENV["ADRGEN_CACHE_DIR"] = saved_cache

    # the same record bodies as plain pages of a stock mkdocs-material site (front matter
    # removed: mkdocs would read its `template` key as a theme template)
    stock = work / f"stock-{n}"
    docs = stock / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    (docs / "index.md").write_text("# Decisions\n")
    names = []
    for path in sorted(records.glob("*.md")):
        (docs / path.name).write_text(split_front_matter(path.read_text())[1])
        names.append(path.name)
    stock_out = stock / "public"
    floor_config = stock / "floor.yml"
    floor_config.write_text(
        STOCK_CONFIG.format(out=stock_out, nav="  - Home: index.md") + 'not_in_nav: "0*.md"\n'
    )
    # the theme's own floor: built just before each site build, as the start-up floors are
    site_floor = [MKDOCS, "build", "-q", "-f", str(floor_config)]

    site = work / f"site-{n}"
    (site / "docs").mkdir(parents=True, exist_ok=True)
    (site / "docs" / "index.md").write_text("# Decisions\n")
    out = site / "public"
    (site / "mkdocs.yml").write_text(SITE_CONFIG.format(out=out, records=records, wizard="true"))
    site_runs = max(2, repeat - 1) if n >= 5000 else repeat
    run(
        "adrgen site build",
        [ADRGEN, "site", "build", "--mkdocs-file", str(site / "mkdocs.yml")],
        site_runs,
        floor=site_floor,
    )
    results["adrgen site build"]["output_mb"], results["adrgen site build"]["files"] = folder_size(
        out
    )
    # the build above replaces the last build (which it then removes); a first build (as in
    # CI) has none to remove: each run gets a new folder, and none is removed until the end
    first_builds = [
        _timed(
            [
                ADRGEN,
                "site",
                "build",
                "--mkdocs-file",
                str(site / "mkdocs.yml"),
                "--out",
                str(first),
            ],
            None,
            (0,),
        )
        for first in (site / f"first-build-{run}" for run in range(site_runs))
    ]
    results["adrgen site build, new folder"] = {
        "seconds": statistics.median(seconds for seconds, _ in first_builds),
        "peak_mb": statistics.median(peak for _, peak in first_builds),
        "runs": site_runs,
    }
    print(
        f"  {'adrgen site build, new folder':<28} "
        f"{results['adrgen site build, new folder']['seconds']:7.3f} s",
        flush=True,
    )
    run(
        "mkdocs build (plugin)",
        [MKDOCS, "build", "-q", "-f", str(site / "mkdocs.yml")],
        site_runs,
        floor=site_floor,
    )
    if n <= serve_limit:
        edited = sorted(records.glob("*.md"))[n // 2]
        results["site serve --dirty, one edit"] = bench_serve_edit(
            site / "mkdocs.yml", edited, max(3, repeat)
        )
        value = results["site serve --dirty, one edit"]
        print(
            f"  {'site serve --dirty, one edit':<28} {value['seconds']:7.3f} s  "
            f"(rebuild {value['rebuild_seconds']:.3f} s)",
            flush=True,
        )

    # the floor's own figures: every floor run made beside the two site builds
    floors = (
        results["adrgen site build"]["floor_runs"] + results["mkdocs build (plugin)"]["floor_runs"]
    )
    results["stock material, not in nav"] = {
        "seconds": statistics.median(floors),
        "peak_mb": results["adrgen site build"]["floor_peak_mb"],
        "runs": len(floors),
    }
    results["stock material, not in nav"]["output_mb"], _ = folder_size(stock_out)
    if n <= stock_limit:
        nav = "\n".join(f"  - {Path(name).stem}: {name}" for name in names)
        (stock / "mkdocs.yml").write_text(STOCK_CONFIG.format(out=stock_out, nav=nav))
        run(
            "stock material, all in nav",
            [MKDOCS, "build", "-q", "-f", str(stock / "mkdocs.yml")],
            1,
        )
        results["stock material, all in nav"]["output_mb"], _ = folder_size(stock_out)
    return results


def bench_wizard(n: int, work: Path, repeat: int) -> dict:
    """What the decision wizard adds to a site build at N records: the same site built with
    `wizard: false`, with the wizard and its table in adrgen's cache (every build after the
    first), and with the cache emptied first (a first build, as in CI), in turn within each
    round, so the three see the same machine. Also the size of the wizard's data file."""
    records = work / f"records-{n}"
    if not records.is_dir():
        make_corpus(records, n)
    site = work / f"wizard-{n}"
    (site / "docs").mkdir(parents=True, exist_ok=True)
    (site / "docs" / "index.md").write_text("# Decisions\n")
    configs = {}
    for wizard in ("false", "true"):
        config = site / f"mkdocs-wizard-{wizard}.yml"
        out = site / f"public-{wizard}"
        config.write_text(SITE_CONFIG.format(out=out, records=records, wizard=wizard))
        configs[wizard] = config
    cache = work / "wizard-cache"
    saved_cache = ENV.get("ADRGEN_CACHE_DIR")
    ENV["ADRGEN_CACHE_DIR"] = str(cache)

    def build(wizard: str) -> tuple[float, float]:
        """Wall seconds, and CPU seconds of the build and every process it started: on a
        shared machine the wall time of one build swings by seconds, its CPU time much less."""
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        seconds, _ = _timed([MKDOCS, "build", "-q", "-f", str(configs[wizard])], None, (0,))
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return seconds, cpu

    build("true")  # the record cache and the wizard's table, as a team's second build has
    rounds: dict[str, list[tuple[float, float]]] = {"off": [], "cached": [], "cold": []}
    try:
        for _ in range(repeat):
            rounds["off"].append(build("false"))
            rounds["cached"].append(build("true"))
            for entry in cache.glob("wizard-*.json"):
                entry.unlink()
            rounds["cold"].append(build("true"))
    finally:
        if saved_cache is None:
            ENV.pop("ADRGEN_CACHE_DIR", None)
        else:
            ENV["ADRGEN_CACHE_DIR"] = saved_cache
    data = site / "public-true" / "assets" / "adrgen" / "wizard-data.js"
    result: dict = {"runs": repeat, "rounds": rounds}
    for name, runs in rounds.items():
        result[name] = statistics.median(wall for wall, _ in runs)
        result[f"{name}_cpu"] = statistics.median(cpu for _, cpu in runs)
    # each round's own difference: the machine's drift between rounds cancels out
    for name in ("cached", "cold"):
        for index, kind in ((0, ""), (1, "_cpu")):
            result[f"added_{name}{kind}"] = statistics.median(
                with_wizard[index] - without[index]
                for with_wizard, without in zip(rounds[name], rounds["off"], strict=True)
            )
    result["data_kb"] = data.stat().st_size / 1024
    print(
        f"  wizard at N={n}: off {result['off']:.2f} s, on (table cached) {result['cached']:.2f} s,"
        f" on (cache empty) {result['cold']:.2f} s; data {result['data_kb']:.0f} KB",
        flush=True,
    )
    return result


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def bench_serve_edit(config: Path, record: Path, edits: int) -> dict:
    """`adrgen site serve --dirty`: seconds from saving an edited record to the browsers'
    reload (what the writer waits for), and from the server noticing the edit to the reload
    (the rebuild itself; the server looks for changes every half second)."""
    import queue
    import threading

    server = subprocess.Popen(
        [
            ADRGEN,
            "site",
            "serve",
            "--dirty",
            "--mkdocs-file",
            str(config),
            "--dev-addr",
            f"127.0.0.1:{_free_port()}",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=ENV,
    )
    lines: queue.Queue = queue.Queue()

    def read() -> None:
        for line in server.stdout:
            lines.put((time.perf_counter(), line))

    threading.Thread(target=read, daemon=True).start()

    def wait_for(text: str) -> float:
        deadline = time.perf_counter() + 600
        while time.perf_counter() < deadline:
            try:
                when, line = lines.get(timeout=5)
            except queue.Empty:
                if server.poll() is not None:
                    break
                continue
            if text in line:
                return when
        raise SystemExit(f"adrgen site serve: no {text!r} in its output")

    original = record.read_text(encoding="utf-8")
    waits, rebuilds = [], []
    try:
        wait_for("Serving on")
        for edit in range(edits):
            time.sleep(1.5)
            saved = time.perf_counter()
            record.write_text(
                original + f"\nEdited for the benchmark ({edit}).\n", encoding="utf-8"
            )
            noticed = wait_for("Detected file changes")
            reloaded = wait_for("Reloading browsers")
            waits.append(reloaded - saved)
            rebuilds.append(reloaded - noticed)
    finally:
        server.terminate()
        server.wait(timeout=60)
        record.write_text(original, encoding="utf-8")
    return {
        "seconds": statistics.median(waits),
        "rebuild_seconds": statistics.median(rebuilds),
        "runs": edits,
        "peak_mb": 0.0,
    }


def baselines(repeat: int) -> dict:
    names = {
        "python -c pass": [PYTHON, "-c", "pass"],
        "import click": [PYTHON, "-c", "import click"],
        "import pydantic, jinja2, yaml, click": [
            PYTHON,
            "-c",
            "import pydantic, jinja2, yaml, click",
        ],
    }
    results = {}
    for name, args in names.items():
        results[name] = measure(args, repeat)
        print(f"  {name:<36} {results[name]['seconds']:7.3f} s", flush=True)
    name = "adrgen --help"
    results[name] = measure([ADRGEN, "--help"], max(repeat, STARTUP_RUNS), floor=CLI_FLOOR)
    print(f"  {name:<36} {results[name]['seconds']:7.3f} s", flush=True)
    return results


def report(base: dict, sizes: dict[int, dict]) -> None:
    print("\nStart-up (medians; each ratio against its floor run just before it)")
    help_ = base["adrgen --help"]
    print(
        f"  adrgen --help           {help_['seconds']:.3f} s  = {help_['ratio']:.2f} x import click"
        f" ({help_['floor_seconds']:.3f} s)"
    )
    for n, results in sizes.items():
        for name in ("adrgen recommend", "adrgen new --no-input", "adrgen catalog validate"):
            value = results[name]
            print(
                f"  {name:<22} N={n:<5} {value['seconds']:.3f} s  = {value['ratio']:.2f} x "
                f"import pydantic, jinja2, yaml, click ({value['floor_seconds']:.3f} s)"
            )
    print("\nRecords (medians)")
    header = f"  {'command':<28}" + "".join(f"{'N=' + str(n):>16}" for n in sizes)
    print(header)
    names = [k for k in next(iter(sizes.values()))]
    for name in names:
        row = f"  {name:<28}"
        for results in sizes.values():
            value = results.get(name)
            row += (
                f"{value['seconds']:>9.2f} s {value['peak_mb']:>4.0f}MB" if value else f"{'-':>16}"
            )
        print(row)
    ns = sorted(sizes)
    if len(ns) >= 2:
        lo, hi = ns[-2], ns[-1]
        print(f"\nGrowth from N={lo} to N={hi} (x{hi / lo:.0f} records)")
        for name in ("adrgen list", "adrgen lint", "adrgen site build"):
            ratio = sizes[hi][name]["seconds"] / sizes[lo][name]["seconds"]
            print(f"  {name:<28} x{ratio:.1f}")
    for n, results in sizes.items():
        serve = results.get("site serve --dirty, one edit")
        if serve:
            print(
                f"\nserve --dirty at N={n}: an edited record is in the browser "
                f"{serve['seconds']:.2f} s after saving (rebuild {serve['rebuild_seconds']:.2f} s)"
            )
    for n, results in sizes.items():
        site = results["adrgen site build"]
        print(
            f"\nSite at N={n}: {site['output_mb']:.1f} MB in {site['files']} files, peak {site['peak_mb']:.0f} MB"
        )
        for name in ("adrgen site build", "mkdocs build (plugin)"):
            value = results[name]
            print(
                f"  {name}: {value['seconds']:.1f} s = {value['ratio']:.2f} x the theme's own "
                f"floor built just before each run ({value['floor_seconds']:.1f} s)"
            )
        first = results["adrgen site build, new folder"]
        print(f"  adrgen site build into a new folder (a first build): {first['seconds']:.1f} s")
        floor = results["stock material, not in nav"]
        print(
            f"  stock material, the same pages not in the nav: {floor['seconds']:.1f} s, "
            f"{floor['output_mb']:.1f} MB (the theme's own floor)"
        )
        if "stock material, all in nav" in results:
            stock = results["stock material, all in nav"]
            print(
                f"  stock material with every record in the nav: {stock['seconds']:.1f} s, {stock['output_mb']:.1f} MB"
            )


def report_wizard(wizard: dict[int, dict]) -> None:
    for n, result in wizard.items():
        print(
            f"\nDecision wizard at N={n} (mkdocs build; medians of {result['runs']} rounds, "
            "each building the three in turn; 'adds' is the median of each round's difference)"
        )
        print(f"  {'':<24}{'wall':>9}{'adds':>9}{'CPU':>9}{'adds':>9}")
        print(f"  {'wizard: false':<24}{result['off']:>8.2f}s{'':>9}{result['off_cpu']:>8.2f}s")
        for name, label in (("cached", "wizard, table cached"), ("cold", "wizard, cache empty")):
            print(
                f"  {label:<24}{result[name]:>8.2f}s{result['added_' + name]:>+8.2f}s"
                f"{result[name + '_cpu']:>8.2f}s{result['added_' + name + '_cpu']:>+8.2f}s"
            )
        print(f"  target: adds <= 1 s; its data file {result['data_kb']:.0f} KB (target <= 500 KB)")


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark adrgen at several record counts.")
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 1000, 5000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--stock-limit", type=int, default=1000, help="largest N for the stock mkdocs baseline"
    )
    parser.add_argument(
        "--serve-limit", type=int, default=1000, help="largest N for the serve --dirty edit"
    )
    parser.add_argument(
        "--wizard-sizes",
        type=int,
        nargs="*",
        default=[1000],
        help="N at which to measure what the decision wizard adds to a site build",
    )
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results.json")
    args = parser.parse_args()
    if not Path(TIME).exists():
        raise SystemExit(f"{TIME} is needed (Debian package `time`)")
    started = time.time()
    # a wheel install compiles adrgen's modules; an editable one under
    # PYTHONDONTWRITEBYTECODE would compile them on every run instead
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(REPO / "adrgen")], check=True)
    with tempfile.TemporaryDirectory(prefix="adrgen-bench-") as tmp:
        work = Path(tmp)
        ENV["ADRGEN_CACHE_DIR"] = str(work / "cache")
        print(
            f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        )
        print("baselines")
        base = baselines(args.repeat)
        sizes = {}
        for n in args.sizes:
            print(f"N = {n}")
            sizes[n] = bench_size(n, work, args.repeat, args.stock_limit, args.serve_limit)
        wizard = {}
        for n in args.wizard_sizes:
            print(f"wizard, N = {n}")
            wizard[n] = bench_wizard(n, work, max(args.repeat, 5))
        if sizes:
            report(base, sizes)
        report_wizard(wizard)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(
            {
                "machine": {
                    "arch": platform.machine(),
                    "cores": os.cpu_count(),
                    "python": platform.python_version(),
                },
                "baselines": base,
                "sizes": {str(n): r for n, r in sizes.items()},
                "wizard": {str(n): r for n, r in wizard.items()},
                "total_seconds": time.time() - started,
            },
            indent=2,
        )
    )
    print(f"\nwritten to {args.out} in {time.time() - started:.0f} s")


if __name__ == "__main__":
    main()
