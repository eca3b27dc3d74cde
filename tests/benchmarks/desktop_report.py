"""The report of the desktop benchmarks (``tests.benchmarks.bench_desktop``): the segments of
one unlock read from the GUI child's marks, the machine the run was on, and the table printed
from the run's JSON.

Its own module because it only reads what was measured: nothing here starts a process or
times anything. ``--cold-only`` and the comparison (``tests.benchmarks.compare_figures``) read
an unlock's segments the same way.
"""

from __future__ import annotations

import os
import platform
import statistics
from pathlib import Path

from tests.benchmarks.desktop_vaults import Json, describe_params


def median(values: list[float]) -> float:
    return statistics.median(values)


def unlock_segments(marks: dict[str, float]) -> dict[str, float]:
    """Durations from one unlock's marks (seconds). The start page's lines only where the
    run marked it filled (a child of this version does; the list's read waits for it)."""
    kdf_s = marks["kdf_end"] - marks["kdf_start"]
    segments = {
        "click -> worker starts vault.unlock": marks["unlock_start"],
        "vault.unlock on the worker": marks["unlock_end"] - marks["unlock_start"],
        "  of which the KDF (derive_key inside it)": kdf_s,
        "  the rest: unseal, trust chain, keys, audit": marks["unlock_end"]
        - marks["unlock_start"]
        - kdf_s,
        "unlocked -> work area shown (GUI thread)": marks["workarea_shown"] - marks["unlock_end"],
    }
    if "start_page_filled" in marks:
        segments["work area shown -> start page filled (its read)"] = (
            marks["start_page_filled"] - marks["workarea_shown"]
        )
    segments |= {
        "cases.list on the worker (audit, unwrap, decrypt)": marks["list_end"]
        - marks["list_start"],
        "list delivered -> GUI takes it": marks["model_reset_start"] - marks["list_end"],
        "set_cases (model reset, proxy)": marks["model_reset_end"] - marks["model_reset_start"],
        "model filled -> idle (other tasks, paint)": marks["usable"] - marks["model_reset_end"],
        "TOTAL click -> usable list": marks["usable"],
        "TOTAL without the KDF": marks["usable"] - kdf_s,
    }
    if "start_page_filled" in marks:
        segments["TOTAL click -> start page filled, without the KDF"] = (
            marks["start_page_filled"] - kdf_s
        )
    return segments


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f}"


def render(report: Json) -> str:
    m = report["machine"]
    small, big = report["vaults"]["small"], report["vaults"]["big"]
    lines = [
        "Infohus Desktop: desktop benchmarks (Qt offscreen; each GUI figure from a fresh process)",
        f"machine: nproc={m['nproc']}, load {m['load_start']:.2f} -> {m['load_end']:.2f}, "
        f"{m['platform']}, Python {m['python']}, PySide6 {m['pyside6']}, "
        f"cryptography {m['cryptography']}",
        f"wall time: {report['wall_s']:.0f} s",
    ]
    for spec in (small, big):
        lines.append(
            f"vault {spec['n']:,} cases: build {spec['build_s']:.1f} s, production member "
            f"{spec['enrol_s']:.1f} s, {Path(spec['path']).stat().st_size / 1e6:.0f} MB; "
            f"timed member: {describe_params(spec['kdf_params'])}"
        )

    cold = report["cold_start"]
    k = len(cold["total_s"])
    lines += [
        "",
        f"1. Cold start to the unlock screen ({small['n']:,}-case vault, {k} fresh processes)",
        f"   {'phase':<52} {'median ms':>10} {'min':>7} {'max':>7}",
    ]
    for label, values in cold["phases_s"].items():
        lines.append(
            f"   {label:<52} {ms(median(values)):>10} {ms(min(values)):>7} {ms(max(values)):>7}"
        )
    total = cold["total_s"]
    lines += [
        f"   {'TOTAL process start -> unlock screen, members painted':<52} {ms(median(total)):>10}"
        f" {ms(min(total)):>7} {ms(max(total)):>7}",
        f"   {'  ... and its events drained':<52} {ms(median(cold['drained_s'])):>10}",
        f"   runs: {', '.join(ms(t) for t in total)} ms; RSS at the unlock screen "
        f"{median(cold['rss_mib']):.0f} MiB",
    ]

    kdf_s = report["kdf_s"]["small"]
    first = [unlock_segments(u["marks"]) for u in report["unlock_small"]["first"]]
    again = [unlock_segments(u["marks"]) for u in report["unlock_small"]["again"]]
    big_first = unlock_segments(report["big"]["unlocks"][0]["marks"])
    small_first, small_again = f"{small['n']:,} 1st", f"{small['n']:,} again"
    big_first_label = f"{big['n']:,} 1st"
    lines += [
        "",
        f"2. Unlock (page.submit) to a usable case list, production KDF; derive_key alone, "
        f"in the parent: {', '.join(ms(t) for t in kdf_s)} ms",
        f"   {'ms, median':<52} {small_first:>10} {small_again:>11} {big_first_label:>11}",
        f"   {'':<52} {f'(n={len(first)})':>10} {f'(n={len(again)})':>11} {'(n=1)':>11}",
    ]
    for label in first[0]:
        row = f"   {label:<52} {ms(median([s[label] for s in first])):>10}"
        again_values = [s[label] for s in again if label in s]
        row += f" {ms(median(again_values)):>11}" if again_values else f" {'-':>11}"
        row += f" {ms(big_first[label]):>11}" if label in big_first else f" {'-':>11}"
        lines.append(row)
    lines.append(
        "   '1st': the first unlock of a fresh app (lazy imports, cold caches); 'again': "
        "after Ctrl+L in the same app."
    )

    typing = report["big"]["typing"]
    lines += [
        "",
        f"3. Filter as you type, {typing['rows']:,} cases, the whole workspace "
        f"(keystrokes coalesced: {typing['debounce_ms']} ms above {typing['large_list']:,} rows)",
        f"   {'typed':<34} {'keys':>4} {'latency ms':>11} {'worst':>7} {'GUI CPU ms':>11}"
        f" {'worst':>7} {'filter ms':>10} {'invalidate':>10} {'rows after':>10}",
    ]
    every: list[Json] = []
    for label, keys in typing["groups"].items():
        every += keys
        lat = [key["latency_s"] for key in keys]
        cpu = [key["gui_cpu_s"] for key in keys]
        flt = [key["filter_s"] for key in keys]
        inv = [key["invalidate_s"] for key in keys]
        lines.append(
            f"   {label:<34} {len(keys):>4} {ms(median(lat)):>11} {ms(max(lat)):>7}"
            f" {ms(median(cpu)):>11} {ms(max(cpu)):>7} {ms(median(flt)):>10}"
            f" {ms(median(inv)):>10} {keys[-1]['rows']:>10,}"
        )
    lat = [key["latency_s"] for key in every]
    cpu = [key["gui_cpu_s"] for key in every]
    flt = [key["filter_s"] for key in every]
    inv = [key["invalidate_s"] for key in every]
    painted = sum(key["painted"] for key in every)
    lines += [
        f"   {'every keystroke':<34} {len(every):>4} {ms(median(lat)):>11} {ms(max(lat)):>7}"
        f" {ms(median(cpu)):>11} {ms(max(cpu)):>7} {ms(median(flt)):>10} {ms(median(inv)):>10}",
        "   latency: key press -> coalescing timer fired, filter applied, layout and paint done;",
        "   GUI CPU: the GUI thread's CPU time over that span; filter: proxy.set_search_text "
        "(wall), of which invalidate:",
        "   QSortFilterProxyModel.invalidate(), i.e. Qt calling the Python filterAcceptsRow for "
        f"every row. Table repainted on {painted} of {len(every)} keystrokes.",
    ]

    first_big = report["big"]["unlocks"][0]
    screen = report["big"]["unlock_screen"]
    loaded = first_big["list_loaded"]
    after = report["big"].get("after_typing", {})
    traced = report["traced"]["unlocks"][0]
    lines += [
        "",
        f"4. Memory, {big['n']:,} cases unlocked in the real window",
        f"   {'RSS at the unlock screen (in-process start)':<60} {screen['VmRSS']:>8.0f} MiB",
        f"   {'RSS at the unlock screen (cold start, python -c driver)':<60}"
        f" {median(cold['rss_mib']):>8.0f} MiB",
        f"   {'peak RSS during vault.unlock (includes Argon2 memory)':<60}"
        f" {first_big.get('peak_during_unlock_mib', float('nan')):>8.0f} MiB",
        f"   {'peak RSS while the list loaded':<60} {loaded['VmHWM']:>8.0f} MiB",
        f"   {'RSS with the list shown':<60} {loaded['VmRSS']:>8.0f} MiB"
        f"   (+{loaded['VmRSS'] - screen['VmRSS']:.0f} MiB over the unlock screen,"
        f" {(loaded['VmRSS'] - screen['VmRSS']) * 2**20 / big['n'] / 1024:.1f} KiB a case)",
    ]
    if after:
        lines += [
            f"   {'RSS after the typing test':<60} {after['VmRSS']:>8.0f} MiB",
            f"   {'peak RSS during the typing test':<60} {after['VmHWM']:>8.0f} MiB",
        ]
    lines += [
        f"   {'tracemalloc: Python allocations held, click -> usable':<60}"
        f" {traced['traced_current_mib']:>8.0f} MiB",
        f"   {'tracemalloc: peak of Python allocations, click -> usable':<60}"
        f" {traced['traced_peak_mib']:>8.0f} MiB",
        "   largest allocation sites still held (tracemalloc, by line):",
    ]
    for stat in traced["traced_top"][:8]:
        lines.append(f"     {stat['mib']:7.1f} MiB {stat['count']:>9,}  {stat['where']}")
    return "\n".join(lines)


def machine() -> Json:
    import cryptography
    import PySide6

    try:
        nproc = len(os.sched_getaffinity(0))
    except AttributeError:
        nproc = os.cpu_count() or 0
    return {
        "nproc": nproc,
        "load_start": os.getloadavg()[0],
        "platform": platform.platform(),
        "python": platform.python_version(),
        "pyside6": PySide6.__version__,
        "cryptography": cryptography.__version__,
    }
