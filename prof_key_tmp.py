import cProfile, pstats, os, time
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtWidgets import QApplication, QTableView
from PySide6.QtCore import Qt
from tests.benchmarks.bench_case_list import synthetic_cases
from infohus_desktop.ui.models.case_list import CaseListModel, CaseFilterProxy, COL_RECEIVED
app = QApplication([])
cases = synthetic_cases(100_000)
m = CaseListModel(); p = CaseFilterProxy(m)
m.sort(COL_RECEIVED, Qt.SortOrder.DescendingOrder)
m.set_cases(cases)
v = QTableView(); v.setModel(p); v.resize(1000,700); v.show(); app.processEvents()
def keys(text):
    for i in range(1, len(text)+1):
        p.set_search_text(text[:i]); app.processEvents()
    p.set_search_text(""); app.processEvents()
t=time.perf_counter(); keys("andersen"); print("andersen total", time.perf_counter()-t)
cProfile.run('keys("andersen"); keys("jens hans")', "/tmp/cl/key.prof")
pstats.Stats("/tmp/cl/key.prof").sort_stats("tottime").print_stats(12)
