"""Comparisons run off the request thread: each job is a thread of a small pool that calls
`ccsim.compare` (whose replications run on `workers` local processes, or a Dask client), follows
its replications through `progress`, and writes the comparison's outputs (report.html, CSVs,
charts) into a private temporary folder, zipped for download with the variant's YAML.
"""

from __future__ import annotations

import io
import shutil
import tempfile
import threading
import traceback
import uuid
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ccsim.errors import CcsimError

JOBS_AT_ONCE = 2        # comparisons running side by side; more wait their turn (queued)


@dataclass
class Job:
    """One comparison: its scenarios, progress per scenario (done, total) and, once done, the
    decision and the report folder; `error` when it failed with a user-facing message."""

    id: str
    scenarios: list[Any]                 # paths and loaded Scenario objects, the baseline first
    replications: int
    seed: int | None
    variant_yaml: str | None = None      # the form's variant as a file that extends the baseline
    variant_name: str | None = None
    status: str = "queued"               # queued, running, done, failed
    progress: dict[str, tuple[int, int]] = field(default_factory=dict)
    error: str | None = None
    decision: dict[str, Any] | None = None
    folder: Path | None = None
    saved_as: str | None = None
    baseline: str = ""                   # the baseline's file name

    @property
    def done_total(self) -> tuple[int, int]:
        """Replications finished and in all, over every scenario."""
        total = self.replications * len(self.scenarios)
        return sum(done for done, _ in self.progress.values()), total

    def report(self) -> str:
        return (self.folder / "report.html").read_text(encoding="utf-8")

    def archive(self) -> bytes:
        """A zip of the report folder and the variant's YAML (variant.yml)."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(self.folder.rglob("*")):
                if path.is_file():
                    archive.write(path, f"comparison/{path.relative_to(self.folder)}")
            if self.variant_yaml is not None:
                archive.writestr("variant.yml", self.variant_yaml)
        return buffer.getvalue()


class Jobs:
    """The comparisons of one server, by id; `workers` processes per comparison, or `executor`."""

    def __init__(self, workers: int = 1, executor: Any = None):
        self.workers, self.executor = workers, executor
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=JOBS_AT_ONCE, thread_name_prefix="ccsim-compare")
        self._scratch = Path(tempfile.mkdtemp(prefix="ccsim-serve-"))

    def start(self, scenarios: list[Any], replications: int, seed: int | None, variant_yaml: str | None = None,
              variant_name: str | None = None) -> Job:
        job = Job(uuid.uuid4().hex, scenarios, replications, seed, variant_yaml, variant_name)
        with self._lock:
            self._jobs[job.id] = job
        self._pool.submit(self._run, job)
        return job

    def get(self, job_id: str) -> Job | None:
        return self._jobs.get(job_id)

    def _run(self, job: Job) -> None:
        from ccsim.compare import compare
        from ccsim.decision import recommend
        from ccsim.report.export import write_comparison

        job.status = "running"

        def advance(name: str, done: int, total: int) -> None:
            job.progress[name] = (done, total)

        try:
            comparison = compare(job.scenarios, job.replications, job.seed, self.workers, progress=advance,
                                 executor=self.executor)
            job.decision = recommend(comparison)
            job.folder = self._scratch / job.id
            write_comparison(comparison, job.folder, job.decision)
            job.status = "done"
        except CcsimError as exc:
            job.error, job.status = str(exc), "failed"
        except Exception:                                   # a bug: keep the server up, show the trace
            job.error, job.status = traceback.format_exc(limit=6), "failed"

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        shutil.rmtree(self._scratch, ignore_errors=True)
