"""The Dask executor (`egovdeck build --scheduler`): workers that do not share the project's disk.

The cluster's two workers are separate processes whose working folder is their own scratch folder, and
the project folder is renamed away once the client has read it, so any task that reached for the
client's disk would fail. By default a handful of province editions is built (the machine running the
tests is small); EGOVDECK_DASK_FULL=1 builds all 32 and compares every one byte for byte.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import time
from pathlib import Path

import pytest

from conftest import ROOT

distributed = pytest.importorskip("distributed")

FULL = bool(os.environ.get("EGOVDECK_DASK_FULL"))
SUBSET = ["北京", "西藏", "新疆生产建设兵团", "广东", "山东", "上海"]
EPOCH = "1600000000"


class _OwnFolder(distributed.WorkerPlugin):
    """Each worker runs in its own scratch folder, not the project's nor the tests'."""

    def setup(self, worker):
        os.chdir(worker.local_directory)


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    scratch = tmp_path_factory.mktemp("dask-workers")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None, local_directory=str(scratch),
                                       silence_logs=50)
    client = distributed.Client(cluster)
    client.register_plugin(_OwnFolder())
    yield client
    client.close()
    cluster.close()


@pytest.fixture(autouse=True)
def _epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def _province_project(dest: Path, editions: list[str] | None) -> Path:
    for name in ("reports", "data"):
        shutil.copytree(ROOT / name, dest / name)
    definition = dest / "reports" / "egov-2019-province.yaml"
    if editions is not None:
        text = definition.read_text(encoding="utf-8")
        listed = "[" + ", ".join(editions) + "]"
        text = text.replace("values: {dataset: gov_websites_by_province, field: province}", f"values: {listed}")
        definition.write_text(text, encoding="utf-8")
    return definition


def _local(definition: Path, out: Path) -> None:
    from egovdeck.engine.build import build

    build(definition, output_dir=out, all_editions=True, use_cache=False, jobs=2)


@pytest.fixture(scope="module")
def local_subset(tmp_path_factory) -> dict[str, bytes]:
    """The SUBSET editions built locally (a process pool), once for the module."""
    folder = tmp_path_factory.mktemp("local-subset")
    with pytest.MonkeyPatch.context() as mp:  # module scope: the autouse fixture is not active yet
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        _local(_province_project(folder / "proj", SUBSET), folder / "out")
    return _files(folder / "out")


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_editions_on_workers_without_the_project_disk_match_local_builds(client, tmp_path, local_subset):
    from egovdeck.engine.cluster import build_on_cluster

    definition = _province_project(tmp_path / "proj", None if FULL else SUBSET)
    if FULL:
        _local(definition, tmp_path / "local")
    else:  # the same definition and data in another folder: the outputs do not depend on where
        for name, data in local_subset.items():
            (tmp_path / "local" / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / "local" / name).write_bytes(data)
    hidden = tmp_path / "gone"

    def hide(_n):  # the client has read everything it sends: the project disappears for the workers
        (tmp_path / "proj").rename(hidden)

    seen = []
    result = build_on_cluster(definition, client, output_dir=tmp_path / "cluster", all_editions=True,
                              on_start=hide, on_done=seen.append)
    assert not result.failed and result.editions == (32 if FULL else len(SUBSET))
    local, remote = _files(tmp_path / "local"), _files(tmp_path / "cluster")
    assert len(remote) == 2 * result.editions and sorted(remote) == sorted(local)
    for name in local:
        assert remote[name] == local[name], f"{name} differs from the local build"
    assert not list((tmp_path / "cluster").rglob("*.tmp"))
    assert sorted(o.edition for o in seen) == sorted({Path(n).stem for n in local})


def test_an_edition_with_an_input_error_is_reported_and_the_others_are_written(client, tmp_path, capsys):
    from egovdeck.cli.main import main

    definition = _province_project(tmp_path / "proj", ["西藏", "火星", "北京"])
    out = tmp_path / "out"
    code = main(["build", str(definition), "--all-editions", "--scheduler", client.scheduler.address,
                 "-o", str(out)], try_server=False)
    err = capsys.readouterr().err
    assert code == 1, err
    assert sorted(p.name for p in (out / "egov-2019-province").iterdir()) == \
        ["北京.pdf", "北京.pptx", "西藏.pdf", "西藏.pptx"]
    # the problem names the edition and the user's file with its line, not a worker's private copy
    line = next(x for x in err.splitlines() if x.startswith("edition 火星:"))
    assert re.search(r"egov-2019-province\.yaml:\d+:\d+: error: ", line), err
    assert str(definition.resolve()) in line, line
    assert "dask-workers" not in err and "egovdeck/projects" not in err
    assert "1 of 3 editions failed (火星)" in err and "the other 2 were written" in err
    # one line per finished edition when stderr is not a terminal
    assert "   西藏: done" in err and "   火星: failed" in err


def test_ctrl_c_cancels_the_remaining_editions(client, tmp_path):
    from egovdeck.engine.cluster import build_on_cluster

    definition = _province_project(tmp_path / "proj", SUBSET)
    out = tmp_path / "out"
    done = []

    def interrupt(outcome):
        done.append(outcome)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build_on_cluster(definition, client, output_dir=out, all_editions=True, on_done=interrupt)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and client.run_on_scheduler(
            lambda dask_scheduler: sum(1 for k in dask_scheduler.tasks if str(k).startswith("egovdeck-edition-"))):
        time.sleep(0.2)
    left = client.run_on_scheduler(
        lambda dask_scheduler: [str(k) for k in dask_scheduler.tasks if str(k).startswith("egovdeck-edition-")])
    assert left == [], "cancelled editions still on the scheduler"
    files = client.run_on_scheduler(
        lambda dask_scheduler: [str(k) for k in dask_scheduler.tasks if str(k).startswith("egovdeck-file-")])
    assert all(re.fullmatch(r"egovdeck-file-[0-9a-f]{64}", k) for k in files)  # inputs travel by digest
    written = sorted(p.name for p in out.rglob("*") if p.is_file())
    # only the edition that finished before Ctrl-C, complete (both files), no temporary file
    assert len(done) == 1 and written == sorted(f"{done[0].edition}.{s}" for s in ("pdf", "pptx"))


def test_a_worker_lost_mid_build_is_replaced_and_every_edition_arrives(client, tmp_path, local_subset):
    from egovdeck.engine.cluster import build_on_cluster

    definition = _province_project(tmp_path / "proj", SUBSET)
    killed = []

    def kill_a_busy_worker(_outcome):
        if killed:
            return
        busy = [w for w, keys in client.processing().items() if keys] or list(client.processing())
        pid = client.run(os.getpid, workers=busy[:1])[busy[0]]
        os.kill(pid, signal.SIGKILL)  # the worker process dies while it renders an edition
        killed.append(busy[0])

    result = build_on_cluster(definition, client, output_dir=tmp_path / "cluster", all_editions=True,
                              on_done=kill_a_busy_worker)
    assert killed and not result.failed
    assert _files(tmp_path / "cluster") == local_subset


def test_a_scheduler_that_cannot_be_reached_is_a_user_problem(tmp_path, capsys):
    from egovdeck.cli.main import main

    definition = _province_project(tmp_path / "proj", SUBSET)
    code = main(["build", str(definition), "--all-editions", "--scheduler", "not an address",
                 "-o", str(tmp_path / "out")], try_server=False)
    err = capsys.readouterr().err
    assert code == 1 and "cannot reach the Dask scheduler at not an address" in err and "--scheduler local" in err
    assert not (tmp_path / "out").exists()


def test_a_worker_with_other_egovdeck_code_refuses_the_edition(tmp_path):
    from egovdeck.engine.cluster import bundle_for, run_edition
    from egovdeck.input.project import load_project

    project = load_project(_province_project(tmp_path / "proj", SUBSET))
    bundle, blobs = bundle_for(project)
    outcome = run_edition(bundle, blobs, "北京", ("pdf", "pptx"), False, False, EPOCH, str(project.root),
                          code="0" * 64)
    assert not outcome.files and "other egovdeck code than this client" in str(outcome.problems[0])
    assert "pip install" in outcome.problems[0].hint


def test_the_bundle_names_every_input_by_content_and_keeps_out_the_output(tmp_path):
    from egovdeck.engine.cluster import bundle_for
    from egovdeck.input.project import load_project

    definition = _province_project(tmp_path / "proj", SUBSET)
    (tmp_path / "proj" / "output").mkdir()
    (tmp_path / "proj" / "output" / "old.pdf").write_bytes(b"%PDF")
    bundle, blobs = bundle_for(load_project(definition))
    names = dict(bundle.files)
    assert bundle.definition == "reports/egov-2019-province.yaml" and bundle.definition in names
    assert all(not n.startswith(("output/", "/")) and ".." not in n for n in names)
    assert {"data/gov_websites_by_province.csv", "data/gov_websites_by_province.yaml"} <= set(names)
    assert set(names.values()) == set(blobs)
    for rel, digest in names.items():
        assert blobs[digest] == (tmp_path / "proj" / rel).read_bytes()


def test_project_fonts_and_template_travel_by_content(client, tmp_path):
    """Fonts and a corporate template inside the project reach the workers by content, and the
    outputs still match a local build byte for byte."""
    from egovdeck.engine.build import build
    from egovdeck.engine.cluster import build_on_cluster

    definition = _province_project(tmp_path / "proj", ["北京", "西藏"])
    (tmp_path / "proj" / "fonts").mkdir()
    for name in ("EgovSansSC-Regular.ttf", "EgovSansSC-Bold.ttf"):
        shutil.copy(ROOT / "fonts" / name, tmp_path / "proj" / "fonts" / f"My{name}")
    (tmp_path / "proj" / "templates").mkdir()
    shutil.copy(ROOT / "src" / "egovdeck" / "resources" / "egovdeck-16x9.pptx", tmp_path / "proj" / "templates" / "corp.pptx")
    theme = ("theme:\n  font_regular: fonts/MyEgovSansSC-Regular.ttf\n  font_bold: fonts/MyEgovSansSC-Bold.ttf\n"
             "  template: templates/corp.pptx\n")
    text = definition.read_text(encoding="utf-8")
    definition.write_text(text.replace("datasets:\n", theme + "\ndatasets:\n", 1), encoding="utf-8")
    build(definition, output_dir=tmp_path / "local", all_editions=True, use_cache=False, jobs=1)
    seen = []
    build_on_cluster(definition, client, output_dir=tmp_path / "cluster", all_editions=True,
                     on_start=lambda _n: (tmp_path / "proj").rename(tmp_path / "gone"), on_done=seen.append)
    assert not any(o.problems for o in seen), [str(p) for o in seen for p in o.problems]
    assert _files(tmp_path / "cluster") == _files(tmp_path / "local") and len(_files(tmp_path / "local")) == 4
