"""gunicorn settings for KP Data: the same for `make serve`, the Dockerfile and the benchmarks."""

import os
import shutil
import tempfile

wsgi_app = "kpdata.wsgi"
bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# Threaded workers: the worker's main thread keeps telling the master it is alive while a
# request runs, so a long CSV export is never killed by `timeout` (a sync worker would be).
# This one reads every request's head in that main thread, so a client that sends half a
# request (or nothing) holds no thread and is closed after kpdata.workers.HEADER_TIMEOUT.
worker_class = "kpdata.workers.HeadFirstWorker"
# Requests answered at once per worker; each thread may keep a database connection open.
threads = 8
# Idle keep-alive connections are kept longer than clients and load balancers keep theirs
# (nginx: 60 s), so that the server never closes one as a request arrives on it.
keepalive = 75
timeout = 30
accesslog = "-"
# Load the app once in the master, so a broken configuration stops start-up with its one line.
preload_app = True
# Long filter lists fit in one request line; the app answers what is wrong with them.
limit_request_line = 8190

# Prometheus figures (api/metrics.py): every worker writes its own to files in this folder, and
# `/metrics` adds them up, whichever worker answers. Set before the app is loaded; a folder
# given by PROMETHEUS_MULTIPROC_DIR is emptied at start, as prometheus_client asks.
_made = not os.environ.get("PROMETHEUS_MULTIPROC_DIR")
_metrics = os.environ.get("PROMETHEUS_MULTIPROC_DIR") or tempfile.mkdtemp(prefix="kpdata-metrics-")
os.environ["PROMETHEUS_MULTIPROC_DIR"] = _metrics


def on_starting(server):
    os.makedirs(_metrics, exist_ok=True)
    for name in os.listdir(_metrics):
        if name.endswith(".db"):
            os.remove(os.path.join(_metrics, name))


def child_exit(server, worker):
    """A worker that ended: its figures stay in the sums, its live gauges go."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    if _made:  # the folder this configuration made; one given is the deployer's
        shutil.rmtree(_metrics, ignore_errors=True)


def when_ready(server):
    """Build the OpenAPI document in the master, once: every worker forked from it has it."""
    if "DJANGO_SETTINGS_MODULE" not in os.environ:  # another app (the benchmark's reference)
        return
    from django.db import connections

    from api.views import SchemaView

    SchemaView.prepare()
    connections.close_all()  # no connection of the master's may be shared with the workers
