"""The web app's routes (Starlette): the form, a comparison's progress and report, downloads and
saving a variant. Templates are Jinja2 with autoescaping; the report itself is the comparison
report's own HTML (`ccsim.report.html.comparison_report`), with a bar of the app's links on top.
"""

from __future__ import annotations

import json
import warnings
from contextlib import asynccontextmanager
from urllib.parse import urlsplit
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, PackageLoader
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.routing import Route

from ccsim.budget import SizeWarning, check_sizes, long_run_text
from ccsim.errors import ScenarioError
from ccsim.report.html import CSS
from ccsim.scenario import Scenario, load_scenario
from ccsim.scenario.checks import load_warnings
from ccsim.serve.folder import ServedFolder
from ccsim.serve.jobs import Jobs
from ccsim.serve.levers import field_of, form_levers, nested, read_levers

MAX_REPLICATIONS = 200          # a form run; more from the command line (ccsim compare -r)
LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]")
MAX_SECONDS = 600.0             # a comparison estimated longer is refused with the estimate


def create_app(folder: Path | str, workers: int = 1, executor: Any = None,
               max_seconds: float = MAX_SECONDS, hosts: tuple[str, ...] = LOCAL_HOSTS) -> Starlette:
    """The app over `folder`; comparisons run `workers` processes each (or on `executor`). It
    answers requests addressed to `hosts` only ("*": any), so a web page elsewhere cannot reach
    it through a name that resolves to this machine, and takes form posts only from its own pages."""
    served = ServedFolder.open(folder)
    jobs = Jobs(workers, executor)
    env = Environment(loader=PackageLoader("ccsim.serve", "templates"), autoescape=True)

    def page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
        return HTMLResponse(env.get_template(name).render(css=CSS, folder=served.root.name, **context),
                            status_code=status)

    def form_page(baseline: str | None, values: dict[str, str], errors: dict[str, str], general: list[str],
                  status: int = 200) -> HTMLResponse:
        names = served.scenarios()
        baseline = baseline if baseline in names else _default(names)
        sections, problem = {}, None
        if baseline is not None:
            try:
                sc = load_scenario(served.root / baseline)
                sections = form_levers(sc)
                seed = "" if sc.seed is None else str(sc.seed)
                values = {"replications": str(min(sc.replications, 20)), "seed": seed,
                          "name": f"{sc.name}, what-if",
                          **{lever.name: lever.value for levers in sections.values() for lever in levers}, **values}
            except ScenarioError as exc:
                problem = str(exc)
        return page("index.html", status, scenarios=names, baseline=baseline, sections=sections, values=values,
                    errors=errors, general=general + ([problem] if problem else []),
                    chosen=values.get("variants", []))

    async def index(request: Request) -> Response:
        return form_page(request.query_params.get("baseline"), {}, {}, [])

    async def run(request: Request) -> Response:
        _same_origin(request)
        form = await request.form()
        values = {key: str(value) for key, value in form.items()}
        values["variants"] = [str(v) for v in form.getlist("variants")]
        errors: dict[str, str] = {}
        general: list[str] = []
        try:
            path = served.scenario(values.get("baseline", ""))
            base = load_scenario(path)
        except ScenarioError as exc:
            errors["baseline"] = exc.problems[0].message
            return form_page(None, values, errors, general, 400)
        saved = []
        for name in values["variants"]:
            if name == path.name:
                continue
            try:
                saved.append(served.scenario(name, "variants"))
            except ScenarioError as exc:
                errors["variants"] = exc.problems[0].message
        replications = _whole(values.get("replications", ""), "replications", 2, MAX_REPLICATIONS, errors)
        seed = _whole(values.get("seed", ""), "seed", 0, 2**63 - 1, errors) if values.get("seed", "").strip() else None
        levers = read_levers(base, values)
        errors.update(levers.errors)
        variant, variant_yaml, name = None, None, values.get("name", "").strip() or f"{base.name}, what-if"
        if levers.overrides and not levers.errors:
            try:
                variant = load_scenario(path, {**levers.overrides, "name": name})
            except ScenarioError as exc:
                fields = set(values) | {lever.name for levers in form_levers(base).values() for lever in levers}
                for problem in exc.problems:
                    where = field_of(problem, fields)
                    if where is None:
                        general.append(f"{problem.path}: {problem.message}" if problem.path else problem.message)
                    else:
                        errors.setdefault(where, problem.message)
            variant_yaml = variant_text(path.name, name, levers.overrides)
        if not errors and not general and variant is None and not saved:
            general.append("nothing to compare: change a lever or pick a saved variant")
        if not errors and not general:
            scenarios = [load_scenario(p) for p in saved] + ([variant] if variant is not None else [])
            general += refusals([base, *scenarios], replications, jobs.workers, max_seconds)
        if errors or general:
            return form_page(path.name, values, errors, general, 400)
        job = jobs.start([path, *saved, *([variant] if variant is not None else [])], replications, seed,
                         variant_yaml, name if variant is not None else None)
        job.baseline = path.name
        return RedirectResponse(f"/jobs/{job.id}", status_code=303)

    def job_or_404(request: Request):
        job = jobs.get(request.path_params["job"])
        if job is None:
            raise _NotFound("no such comparison (the server keeps them until it stops)")
        return job

    async def show(request: Request) -> Response:
        job = job_or_404(request)
        if job.status != "done":
            done, total = job.done_total
            error = (job.error or "").replace(f"{served.root}/", "")      # file names as the folder lists them
            return page("job.html", 200 if job.status != "failed" else 422, job=job, done=done, total=total,
                        error=error)
        bar = env.get_template("bar.html").render(job=job, message=request.query_params.get("saved"),
                                                  error=request.query_params.get("error"))
        report = job.report()
        at = report.index("<body>") + len("<body>")
        return HTMLResponse(report[:at] + bar + report[at:])

    async def progress(request: Request) -> Response:
        job = job_or_404(request)
        done, total = job.done_total
        return JSONResponse({"status": job.status, "done": done, "total": total, "error": job.error})

    async def download(request: Request) -> Response:
        job = job_or_404(request)
        if job.status != "done":
            raise _NotFound("the comparison has not finished")
        return Response(job.archive(), media_type="application/zip",
                        headers={"Content-Disposition": 'attachment; filename="comparison.zip"'})

    async def variant(request: Request) -> Response:
        job = job_or_404(request)
        if job.variant_yaml is None:
            raise _NotFound("this comparison has no variant made in the form")
        return PlainTextResponse(job.variant_yaml, media_type="application/yaml",
                                 headers={"Content-Disposition": 'attachment; filename="variant.yml"'})

    async def save(request: Request) -> Response:
        job = job_or_404(request)
        _same_origin(request)
        form = await request.form()
        if job.variant_yaml is None:
            raise _NotFound("this comparison has no variant made in the form")
        try:
            target = served.new_file(str(form.get("file_name", "")))
            served.write(target, job.variant_yaml)
            load_scenario(target)                       # what was written loads as it did in the form
        except ScenarioError as exc:
            return RedirectResponse(f"/jobs/{job.id}?error={_quote(exc.problems[0].message)}", status_code=303)
        job.saved_as = target.name
        return RedirectResponse(f"/jobs/{job.id}?saved={_quote(target.name)}", status_code=303)

    async def files(request: Request) -> Response:
        found = served.file(request.path_params["path"])
        if found is None or found.suffix not in (".yml", ".yaml", ".csv"):
            raise _NotFound(f"{request.path_params['path']!r} is not a scenario or data file of the served folder")
        return PlainTextResponse(found.read_text(encoding="utf-8"))

    @asynccontextmanager
    async def lifespan(app: Starlette):
        yield
        jobs.close()

    async def forbidden(request: Request, exc: Exception) -> Response:
        return PlainTextResponse(str(exc), status_code=403)

    async def not_found(request: Request, exc: Exception) -> Response:
        message = str(exc) if isinstance(exc, _NotFound) else "no such page"
        return page("error.html", 404, message=message)

    app = Starlette(routes=[
        Route("/", index), Route("/run", run, methods=["POST"]), Route("/jobs/{job}", show),
        Route("/jobs/{job}/progress", progress), Route("/jobs/{job}/download", download),
        Route("/jobs/{job}/variant.yml", variant), Route("/jobs/{job}/save", save, methods=["POST"]),
        Route("/files/{path:path}", files),
    ], exception_handlers={_NotFound: not_found, 404: not_found, _Forbidden: forbidden}, lifespan=lifespan,
        middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=list(hosts))])
    app.state.jobs, app.state.folder = jobs, served
    return app


class _NotFound(Exception):
    """A page or file the app does not serve; its message is shown."""


class _Forbidden(Exception):
    """A form posted from another site's page."""


def _same_origin(request: Request) -> None:
    """Refuse a form posted by a page of another site (the browser names it in Origin)."""
    origin = request.headers.get("origin")
    if origin and urlsplit(origin).netloc != request.headers.get("host"):
        raise _Forbidden(f"forms are taken only from this app's own pages, not from {origin}")


def variant_text(baseline: str, name: str, overrides: dict[str, Any]) -> str:
    """The variant as a scenario file: `extends` the baseline (a file of the same folder) and the overrides."""
    data = json.loads(json.dumps({"extends": baseline, "name": name, **nested(overrides)}))   # no YAML anchors
    body = yaml.safe_dump(data, sort_keys=False,
                          allow_unicode=True, width=120)
    return f"# A what-if made with ccsim serve: {baseline} with the levers below changed.\n{body}"


def refusals(scenarios: list[Scenario], replications: int, workers: int, max_seconds: float) -> list[str]:
    """Why the comparison cannot run here: too large (the size estimate), too long, or a queue
    whose load cannot be served (unstable); empty when it can."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SizeWarning)
            ests = check_sizes(scenarios, replications, workers, files=[sc.name for sc in scenarios])
    except ScenarioError as exc:
        return [f"refused, too large: {p}" for p in exc.problems]
    seconds = sum(est.seconds for est in ests)
    out = []
    if seconds > max_seconds:
        out.append(f"refused, too long for the web app (limit {max_seconds:.0f} s): "
                   f"{long_run_text(ests[0], seconds, len(ests))}; or run ccsim compare from the command line")
    for sc in scenarios:
        out += [f"refused, {sc.name}: {p.path}: {p.message}" for p in load_warnings(sc)]
    return out


def _whole(text: str, name: str, low: int, high: int, errors: dict[str, str]) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        errors[name] = f"expects a whole number from {low} to {high}, got {text!r}"
        return low
    if not low <= value <= high:
        errors[name] = f"expects a whole number from {low} to {high}, got {value}"
    return value


def _default(names: list[str]) -> str | None:
    return next((n for n in names if n.startswith("hotline")), names[0] if names else None)


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="")


