"""Case list benchmark: 100,000 synthetic case summaries in the list model and its filter proxy.

Run from the project root (no vault, no display needed)::

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.benchmarks.bench_case_list
    .venv/bin/python -m tests.benchmarks.bench_case_list --rows 20000 --json

1. ``set_cases``: the model takes the list (as after a fetch) and the proxy maps it, with and
   without a table view attached.
2. Filter as you type: ``ande``, ``andersen``, ``jens hans``, a CPR number with its dash and
   two more digits (``DDMMYY-NN``) and a case number, typed one character at a time into
   :meth:`CaseFilterProxy.set_search_text`, then ``processEvents()`` so the view has reacted;
   median and worst per keystroke. Clearing the box is timed too.
   After a save: one summary put back into the model (``upsert``: the row moves to its
   sorted place, the filter decides whether it shows), with a search typed; the whole list
   is not set again.
3. Sorting by a few columns (first time with the sort keys built, then again).
4. Peak memory (tracemalloc) of model + proxy holding the rows: the summaries themselves are
   made before tracing starts, so the figure is what the list adds on top of the fetched data.

Nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import time
import tracemalloc
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from faker.providers.person.da_DK import Provider as DanishNames
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QTableView

from infohus_desktop.domain.cases import CaseSummary
from infohus_desktop.domain.workflow import CaseStatus
from infohus_desktop.ui.models.case_columns import COL_NAME, COL_NUMBER, COL_RECEIVED
from infohus_desktop.ui.models.case_filter import CaseFilterProxy, ListFilter
from infohus_desktop.ui.models.case_list import CaseListModel

CATEGORIES = ("hoejreekstremisme", "venstreekstremisme", "militant_islamisme", "anden_uklar")
MUNICIPALITIES = ("Aarhus Kommune", "Randers Kommune", "Skanderborg Kommune", "Favrskov Kommune")
PREFIXES = ("AAR", "RAN", "SKA", "FAV")


def synthetic_cases(n: int, seed: int = 2026) -> list[CaseSummary]:
    rnd = random.Random(seed)
    first = list(DanishNames.first_names_male) + list(DanishNames.first_names_female)
    last = list(DanishNames.last_names)
    leads = [uuid.UUID(int=rnd.getrandbits(128)) for _ in range(25)]
    groups = [uuid.UUID(int=rnd.getrandbits(128)) for _ in MUNICIPALITIES]
    statuses = list(CaseStatus)
    serials: dict[tuple[str, int], int] = {}
    out = []
    start = date(2019, 1, 1)
    for _ in range(n):
        m = rnd.randrange(len(MUNICIPALITIES))
        received = start + timedelta(days=rnd.randrange(8 * 365))
        key = (PREFIXES[m], received.year)
        serials[key] = serials.get(key, 0) + 1
        born = date(1960, 1, 1) + timedelta(days=rnd.randrange(60 * 365))
        cpr = (
            None
            if rnd.random() < 0.2
            else f"{born:%d%m%y}{rnd.randrange(10000):04d}"  # fictitious: form only
        )
        name = f"{rnd.choice(first)} {rnd.choice(last)}"
        if rnd.random() < 0.3:
            name = f"{rnd.choice(first)} {name}"
        out.append(
            CaseSummary.of(
                key=rnd.getrandbits(128),
                number=f"{key[0]}-{key[1]}-{serials[key]:04d}",
                status=rnd.choice(statuses),
                category=rnd.choice(CATEGORIES),
                local_infohus_id=groups[m],
                municipality=MUNICIPALITIES[m],
                group_id=groups[m],
                lead_organisation_id=None,
                lead_member_id=rnd.choice(leads),
                follow_up=received + timedelta(days=rnd.randrange(30, 400))
                if rnd.random() < 0.6
                else None,
                received=received,
                person_name=name,
                person_cpr=cpr,
                version=1,
            )
        )
    out.sort(key=lambda c: (c.received, c.number), reverse=True)
    return out


def timed(fn: Callable[[], Any]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def type_text(
    app: QApplication, proxy: CaseFilterProxy, text: str
) -> tuple[list[float], list[int]]:
    """Type ``text`` one key at a time; the box is cleared before (not timed) and after."""
    proxy.set_search_text("")
    app.processEvents()
    times, counts = [], []
    for i in range(1, len(text) + 1):
        prefix = text[:i]

        def key(prefix: str = prefix) -> None:
            proxy.set_search_text(prefix)
            proxy.rowCount()
            app.processEvents()

        times.append(timed(key))
        counts.append(proxy.rowCount())
    return times, counts


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def run(rows: int, repeat: int) -> dict[str, Any]:
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    cases = synthetic_cases(rows)
    sample_cpr = next(c.person_cpr for c in cases if c.person_cpr)
    cpr_typed = f"{sample_cpr[:6]}-{sample_cpr[6:8]}"
    sample_number = cases[len(cases) // 2].number
    result: dict[str, Any] = {"rows": rows, "repeat": repeat}

    # 1. set_cases, bare and with a shown view.
    model = CaseListModel()
    proxy = CaseFilterProxy(model)
    model.sort(COL_RECEIVED, Qt.SortOrder.DescendingOrder)
    bare = [timed(lambda: (model.set_cases(cases), proxy.rowCount())) for _ in range(repeat)]
    view = QTableView()
    view.setModel(proxy)
    view.resize(1000, 700)
    view.show()
    app.processEvents()

    def fill_view() -> None:
        model.set_cases(cases)
        proxy.rowCount()
        app.processEvents()

    with_view = [timed(fill_view) for _ in range(repeat)]
    result["set_cases_ms"] = statistics.median(bare) * 1000
    result["set_cases_with_view_ms"] = statistics.median(with_view) * 1000

    # 2. Filter as you type, with the view attached (as in the app).
    typing: dict[str, Any] = {}
    for label, text in (
        ("name 'ande'", "ande"),
        ("name 'andersen'", "andersen"),
        ("two names 'jens hans'", "jens hans"),
        (f"CPR '{cpr_typed[:4]}..'", cpr_typed),
        ("case number", sample_number),
    ):
        runs = [type_text(app, proxy, text) for _ in range(repeat)]
        per_key = [t for times, _counts in runs for t in times]
        typing[label] = {
            "keys": len(text),
            "median_ms": statistics.median(per_key) * 1000,
            "max_ms": max(per_key) * 1000,
            "first_key_ms": statistics.median(times[0] for times, _ in runs) * 1000,
            "rows_after": runs[0][1][-1],
        }
    clear = []
    for _ in range(repeat):
        proxy.set_search_text("andersen")
        app.processEvents()
        clear.append(timed(lambda: (proxy.set_search_text(""), app.processEvents())))
    result["typing"] = typing
    proxy.set_search_text("ande")
    app.processEvents()
    saves = []
    for i in range(repeat * 5):
        saved = cases[(i * 7919) % len(cases)]
        renamed = replace(saved, person_name=f"Anders {saved.person_name}", version=i + 2)

        def save_one(renamed: CaseSummary = renamed) -> None:
            model.upsert(renamed)
            app.processEvents()

        saves.append(timed(save_one))
    result["save_row_median_ms"] = statistics.median(saves) * 1000
    result["save_row_max_ms"] = max(saves) * 1000
    proxy.set_search_text("")
    model.set_cases(cases)
    app.processEvents()
    result["clear_ms"] = statistics.median(clear) * 1000
    open_statuses = frozenset(set(CaseStatus) - {CaseStatus.CLOSED, CaseStatus.TRANSFERRED})
    result["filter_bar_ms"] = (
        statistics.median(
            timed(
                lambda: (
                    proxy.set_filter(ListFilter(statuses=open_statuses, follow_up_due=True)),
                    app.processEvents(),
                    proxy.set_filter(ListFilter()),
                    app.processEvents(),
                )
            )
            for _ in range(repeat)
        )
        * 1000
        / 2
    )

    # 3. Sorting: the first sort of a column builds its keys.
    sorting: dict[str, Any] = {}
    for label, column in (("name", COL_NAME), ("number", COL_NUMBER), ("received", COL_RECEIVED)):
        model.set_cases(cases)
        app.processEvents()
        first = timed(lambda column=column: (proxy.sort(column), app.processEvents()))
        again = [
            timed(
                lambda column=column, order=order: (proxy.sort(column, order), app.processEvents())
            )
            for order in (Qt.SortOrder.DescendingOrder, Qt.SortOrder.AscendingOrder) * repeat
        ]
        sorting[label] = {"first_ms": first * 1000, "again_ms": statistics.median(again) * 1000}
    result["sorting"] = sorting
    view.close()
    view.deleteLater()
    app.processEvents()

    # 4. Memory of model + proxy (summaries excluded: they exist before tracing starts).
    tracemalloc.start()
    before, _ = tracemalloc.get_traced_memory()
    model2 = CaseListModel()
    proxy2 = CaseFilterProxy(model2)
    model2.set_cases(cases)
    proxy2.rowCount()
    proxy2.set_search_text("ande")
    proxy2.rowCount()
    proxy2.sort(COL_NAME)
    proxy2.rowCount()
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    result["memory_current_mib"] = (current - before) / 2**20
    result["memory_peak_mib"] = (peak - before) / 2**20
    return result


def print_table(r: dict[str, Any]) -> None:
    print(f"Case list benchmark, {r['rows']:,} rows, median of {r['repeat']} runs\n")
    print(f"{'set_cases + proxy mapping':44} {ms(r['set_cases_ms'] / 1000)}")
    print(f"{'set_cases + proxy + shown table view':44} {ms(r['set_cases_with_view_ms'] / 1000)}")
    print(f"{'filter bar change (status + due)':44} {ms(r['filter_bar_ms'] / 1000)}")
    print(f"{'clear the search box':44} {ms(r['clear_ms'] / 1000)}")
    print(
        f"{'a save: one row updated (search typed)':44} {ms(r['save_row_median_ms'] / 1000)}"
        f"   worst {ms(r['save_row_max_ms'] / 1000)}"
    )
    print("\nFilter as you type (per keystroke, view attached)")
    print(f"{'typed':28} {'keys':>4} {'median':>11} {'worst':>11} {'1st key':>11} {'rows':>7}")
    for label, t in r["typing"].items():
        print(
            f"{label:28} {t['keys']:>4} {ms(t['median_ms'] / 1000):>11} "
            f"{ms(t['max_ms'] / 1000):>11} {ms(t['first_key_ms'] / 1000):>11} {t['rows_after']:>7}"
        )
    print("\nSorting (proxy.sort -> model sorts its row order)")
    for label, t in r["sorting"].items():
        print(
            f"{'by ' + label:28} first {ms(t['first_ms'] / 1000)}"
            f"   again {ms(t['again_ms'] / 1000)}"
        )
    print("\nMemory of model + proxy over the summaries (tracemalloc)")
    print(f"{'held after fill, search and sort':44} {r['memory_current_mib']:8.1f} MiB")
    print(f"{'peak':44} {r['memory_peak_mib']:8.1f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = run(args.rows, args.repeat)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_table(result)


if __name__ == "__main__":
    main()
