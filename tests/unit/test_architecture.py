"""The map of the code, kept honest: import loops, layers, Qt, the services core, private names
and module size, all read from the code's own imports with ``ast``.

Every ``import`` counts: at module level, inside functions and under ``TYPE_CHECKING``.
Moving an import into a function does not untie a loop, it only hides it from Python.

The rules (docs/ARCHITECTURE.md draws them):
- no import loop between any two modules of ``infohus_desktop``;
- layers point down: ``domain`` imports only itself, ``crypto`` the domain, ``vault`` the two
  below it, ``services`` everything below the UI, ``reports`` only the domain; the shipped
  data files (``resources``) are a leaf that crypto, reports and the UI read;
- ``PySide6`` only in ``ui/`` and ``app.py``;
- ``ui/``, ``cli/``, ``demo/`` and ``app.py`` reach ``vault/`` and ``crypto/`` only through the
  few doors named in :data:`CLIENT_DOORS`, each with its reason;
- ``services/core`` imports no feature package, and no feature imports the front door;
- nobody imports another module's ``_private`` name;
- no module is longer than 500 lines.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE_ROOT = Path(__file__).resolve().parents[2] / "infohus_desktop"
MAX_LINES = 500

#: What each top-level part may import (besides itself and the package's ``__init__``).
ALLOWED_LAYERS: dict[str, set[str]] = {
    "domain": set(),
    # The shipped data files (word lists, icons, fonts): a leaf that anyone may read.
    "resources": set(),
    # What this build is (version, commit, library versions): read by the CLI, app and UI.
    "build_info": set(),
    # argparse's own words in the user's language: for the `infohus` and `infohus-desktop`
    # command lines alike.
    "argparse_language": {"domain"},
    "crypto": {"domain", "resources"},
    "private_files": set(),
    "local_state": {"private_files"},
    "bug_log": {"local_state", "private_files"},
    "settings": {"local_state"},
    "vault": {"domain", "crypto", "local_state", "private_files"},
    "reports": {"domain", "resources"},
    "services": {"domain", "crypto", "vault", "reports", "local_state", "private_files"},
    "demo": {"domain", "services", "local_state"},
    "cli": {
        "domain",
        "services",
        "reports",
        "local_state",
        "private_files",
        "bug_log",
        "demo",
        "app",
        "argparse_language",
    },
    "ui": {
        "domain",
        "services",
        "reports",
        "local_state",
        "private_files",
        "bug_log",
        "settings",
        "demo",
        "resources",
        "build_info",
    },
    "app": {
        "ui",
        "domain",
        "local_state",
        "settings",
        "bug_log",
        "build_info",
        "argparse_language",
    },
    "__main__": {"app"},
}

#: The doors through which a client (ui, cli, demo, app) may reach below the services, as
#: (importing module or package prefix, imported module): reason. Everything else of
#: ``vault/`` and ``crypto/`` is the services' business.
CLIENT_DOORS: dict[tuple[str, str], str] = {
    ("infohus_desktop.app", "infohus_desktop.crypto.selftest"): (
        "the known-answer self-test gates the window's worker: it passes before any key is "
        "derived, vault opened or value decrypted, so a broken crypto library stops the app "
        "instead of writing bad ciphertext"
    ),
    ("infohus_desktop.cli", "infohus_desktop.crypto.selftest"): (
        "the same self-test before any command touches a vault"
    ),
    ("infohus_desktop.app", "infohus_desktop.vault.urls"): (
        "url_for_path turns a file path typed by the user into a vault URL (string only)"
    ),
    ("infohus_desktop.cli", "infohus_desktop.vault.urls"): ("url_for_path, as for the app"),
    ("infohus_desktop.ui", "infohus_desktop.vault.urls"): ("url_for_path, as for the app"),
    ("infohus_desktop.cli", "infohus_desktop.vault.server_address"): (
        "a server password typed at the prompt joins the URL for one attempt, and every URL "
        "shown or saved is stripped of it (strings only)"
    ),
    ("infohus_desktop.local_state", "infohus_desktop.vault.server_address"): (
        "the default vault URL is saved without its password, whoever sets it"
    ),
    ("infohus_desktop.ui", "infohus_desktop.vault.server_address"): (
        "the same for the server dialog and the password asked for in the window"
    ),
    ("infohus_desktop.ui.vault_door", "infohus_desktop.vault.peek"): (
        "the unlock screen lists the district and the active logins (clear columns, no key) "
        "through the standard library, on the worker, before the services load (issue 17)"
    ),
    ("infohus_desktop.ui.widgets", "infohus_desktop.crypto.passphrase_policy"): (
        "the strength meter shows the same minimum length the vault enforces"
    ),
    ("infohus_desktop.ui.widgets", "infohus_desktop.crypto.passphrase_words"): (
        "the strength estimate and the passphrase generator: no key material"
    ),
    ("infohus_desktop.ui.dialogs.administration", "infohus_desktop.crypto.passphrase_words"): (
        "a new member's first passphrase is generated where it is shown once: no key material"
    ),
    ("infohus_desktop.ui", "infohus_desktop.crypto.bundle_keys"): (
        "a recipient's public key card is parsed to show its fingerprint before pinning"
    ),
    ("infohus_desktop.cli", "infohus_desktop.crypto.bundle_keys"): (
        "the same key card parsing for `infohus recipient add`"
    ),
    ("infohus_desktop.cli", "infohus_desktop.vault.codecs"): (
        "printing JSON in the same shape the vault stores (form values, organisation words)"
    ),
    ("infohus_desktop.demo", "infohus_desktop.vault"): (
        "the demo backdates rows that the services stamp 'now', so twelve months of history "
        "exist on the day the demo is built"
    ),
    ("infohus_desktop.demo", "infohus_desktop.crypto"): (
        "the demo plays the sending Infohus of an incoming referral bundle, which needs the "
        "sender's side of the bundle format"
    ),
}

QT_MODULES = ("PySide6", "shiboken6")
QT_ALLOWED = ("infohus_desktop.ui", "infohus_desktop.app")
FEATURE_FREE_CORE = "infohus_desktop.services.core"
FRONT_DOOR = "infohus_desktop.services.front_door"


@dataclass(frozen=True, slots=True)
class Import:
    importer: str
    target: str  # the project module (or external top-level name) imported
    names: tuple[str, ...]  # names taken with ``from target import ...``
    line: int


def module_name(path: Path, root: Path) -> str:
    rel = path.relative_to(root.parent).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


def source_modules(root: Path) -> dict[str, Path]:
    """Every module of the package, migrations' generated versions left out."""
    return {
        module_name(path, root): path
        for path in sorted(root.rglob("*.py"))
        if not ("migrations" in path.parts and "versions" in path.parts)
    }


def resolve(name: str, modules: Iterable[str]) -> str | None:
    """The longest known module that ``name`` is, or lies in."""
    known = set(modules)
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


def read_imports(modules: Mapping[str, Path]) -> list[Import]:
    """All imports of all modules, resolved to project modules where they are ones."""
    found: list[Import] = []
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        is_package = path.name == "__init__.py"
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = module.split(".")
                    base = base if is_package else base[:-1]
                    base = base[: len(base) - (node.level - 1)]
                    target = ".".join([*base, *([node.module] if node.module else [])])
                else:
                    target = node.module or ""
                names = tuple(alias.name for alias in node.names)
                # ``from pkg import module`` imports the module, not a name of pkg.
                submodules = [f"{target}.{n}" for n in names if f"{target}.{n}" in modules]
                for sub in submodules:
                    found.append(Import(module, sub, (), node.lineno))
                rest = tuple(n for n in names if f"{target}.{n}" not in modules)
                if rest or not submodules:
                    found.append(
                        Import(module, resolve(target, modules) or target, rest, node.lineno)
                    )
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    target = resolve(alias.name, modules) or alias.name
                    found.append(Import(module, target, (), node.lineno))
    return found


def import_loops(modules: Iterable[str], imports: Iterable[Import]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), each sorted."""
    known = set(modules)
    edges: dict[str, set[str]] = {m: set() for m in known}
    for imp in imports:
        if imp.target in known and imp.target != imp.importer:
            # A package's __init__ imported from inside that package is not a loop: Python
            # runs it first anyway.
            if imp.importer.startswith(imp.target + "."):
                continue
            edges[imp.importer].add(imp.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    counter = 0

    def visit(v: str) -> None:
        nonlocal counter
        index[v] = low[v] = counter
        counter += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return groups


def part_of(module: str) -> str:
    """The top-level part of the package a module belongs to (``services``, ``ui``, ...)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def layer_violations(imports: Iterable[Import]) -> list[str]:
    out = []
    for imp in imports:
        if not imp.target.startswith("infohus_desktop"):
            continue
        src, dst = part_of(imp.importer), part_of(imp.target)
        if dst in ("", src):
            continue
        if dst in ALLOWED_LAYERS.get(src, set()):
            continue
        if any(
            (imp.importer == who or imp.importer.startswith(who + "."))
            and (imp.target == what or imp.target.startswith(what + "."))
            for who, what in CLIENT_DOORS
        ):
            continue
        out.append(f"{imp.importer}:{imp.line} imports {imp.target} ({src} -> {dst})")
    return out


def qt_violations(imports: Iterable[Import]) -> list[str]:
    return [
        f"{imp.importer}:{imp.line} imports {imp.target}"
        for imp in imports
        if imp.target.split(".")[0] in QT_MODULES
        and not any(imp.importer == a or imp.importer.startswith(a + ".") for a in QT_ALLOWED)
    ]


def core_violations(imports: Iterable[Import]) -> list[str]:
    """The services core imports no feature; no feature imports the front door."""
    out = []
    for imp in imports:
        inside_services = imp.importer.startswith("infohus_desktop.services.")
        if imp.importer.startswith(FEATURE_FREE_CORE + ".") or imp.importer == FEATURE_FREE_CORE:
            if imp.target.startswith("infohus_desktop.services.") and not (
                imp.target == FEATURE_FREE_CORE or imp.target.startswith(FEATURE_FREE_CORE + ".")
            ):
                out.append(f"{imp.importer}:{imp.line}: the core imports {imp.target}")
        elif inside_services and imp.importer != FRONT_DOOR and imp.target == FRONT_DOOR:
            out.append(f"{imp.importer}:{imp.line}: a feature imports the front door")
    return out


def private_name_violations(imports: Iterable[Import], modules: Iterable[str]) -> list[str]:
    known = set(modules)
    return [
        f"{imp.importer}:{imp.line} takes {imp.target}.{name}"
        for imp in imports
        if imp.target in known and imp.target != imp.importer
        for name in imp.names
        if name.startswith("_") and not name.startswith("__")
    ]


def oversized(modules: Mapping[str, Path]) -> list[str]:
    out = []
    for module, path in modules.items():
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES:
            out.append(f"{module}: {lines} lines")
    return out


@pytest.fixture(scope="module")
def project() -> tuple[dict[str, Path], list[Import]]:
    modules = source_modules(PACKAGE_ROOT)
    return modules, read_imports(modules)


def test_no_import_loops(project: tuple[dict[str, Path], list[Import]]) -> None:
    modules, imports = project
    assert import_loops(modules, imports) == []


def test_layers_point_down(project: tuple[dict[str, Path], list[Import]]) -> None:
    _, imports = project
    assert sorted(layer_violations(imports)) == []


def test_qt_only_in_the_ui(project: tuple[dict[str, Path], list[Import]]) -> None:
    _, imports = project
    assert qt_violations(imports) == []


def test_services_core_knows_no_feature(project: tuple[dict[str, Path], list[Import]]) -> None:
    _, imports = project
    assert core_violations(imports) == []


def test_no_private_name_crosses_a_module(
    project: tuple[dict[str, Path], list[Import]],
) -> None:
    modules, imports = project
    assert private_name_violations(imports, modules) == []


def test_no_module_over_500_lines(project: tuple[dict[str, Path], list[Import]]) -> None:
    modules, _ = project
    assert oversized(modules) == []


def test_every_client_door_is_used(project: tuple[dict[str, Path], list[Import]]) -> None:
    """A door nobody goes through any more is closed, so the list stays the truth."""
    _, imports = project
    unused = [
        door
        for door in CLIENT_DOORS
        if not any(
            (imp.importer == door[0] or imp.importer.startswith(door[0] + "."))
            and (imp.target == door[1] or imp.target.startswith(door[1] + "."))
            for imp in imports
        )
    ]
    assert unused == []


# -- the checks themselves catch what they are for ----------------------------------------


def write_package(root: Path, files: Mapping[str, str]) -> dict[str, Path]:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return source_modules(root)


def test_a_loop_through_a_function_import_is_found(tmp_path: Path) -> None:
    modules = write_package(
        tmp_path / "infohus_desktop",
        {
            "__init__.py": "",
            "services/__init__.py": "",
            "services/a.py": "from infohus_desktop.services.b import x\n",
            "services/b.py": "def x():\n    from infohus_desktop.services import a\n",
        },
    )
    loops = import_loops(modules, read_imports(modules))
    assert loops == [["infohus_desktop.services.a", "infohus_desktop.services.b"]]


def test_each_rule_flags_its_violation(tmp_path: Path) -> None:
    modules = write_package(
        tmp_path / "infohus_desktop",
        {
            "__init__.py": "",
            "domain/__init__.py": "",
            "domain/cpr.py": "from infohus_desktop.crypto import kdf\n",
            "crypto/__init__.py": "",
            "crypto/kdf.py": "import PySide6\n",
            "ui/__init__.py": "",
            "ui/view.py": "from infohus_desktop.vault.keyring import Keyring\n",
            "vault/__init__.py": "",
            "vault/keyring.py": "",
            "services/__init__.py": "",
            "services/front_door.py": "",
            "services/core/__init__.py": "",
            "services/core/session.py": "from infohus_desktop.services.cases import service\n",
            "services/cases/__init__.py": "",
            "services/cases/service.py": (
                "from infohus_desktop.services.front_door import MemberServices\n"
                "from infohus_desktop.services.core.session import _secret\n"
            ),
        },
    )
    imports = read_imports(modules)
    assert sorted(layer_violations(imports)) == [
        "infohus_desktop.domain.cpr:1 imports infohus_desktop.crypto.kdf (domain -> crypto)",
        "infohus_desktop.ui.view:1 imports infohus_desktop.vault.keyring (ui -> vault)",
    ]
    assert qt_violations(imports) == ["infohus_desktop.crypto.kdf:1 imports PySide6"]
    assert sorted(core_violations(imports)) == [
        "infohus_desktop.services.cases.service:1: a feature imports the front door",
        "infohus_desktop.services.core.session:1: the core imports "
        "infohus_desktop.services.cases.service",
    ]
    assert private_name_violations(imports, modules) == [
        "infohus_desktop.services.cases.service:2 takes "
        "infohus_desktop.services.core.session._secret"
    ]
