"""JupyterHub configuration used by `make hub-check` (scripts/hub_check.py).

A whole class on one machine, as The Littlest JupyterHub sets it up: one shared password for
the class (JupyterHub's SharedPasswordAuthenticator), each student a local Unix user whose
single-user server runs under their own account with their own home folder
(LocalProcessSpawner), and the course delivered by an nbgitpuller link.

Everything machine-specific comes from STRETCHKIT_HUB_* environment variables that
scripts/hub_check.py sets: every port is chosen free at start and bound to 127.0.0.1 only,
and all state (hub database, cookie secret, proxy pid file) lives in the run's own folder.
"""

import os

c = get_config()  # type: ignore[name-defined]  # noqa: F821 - provided by JupyterHub
env = os.environ
run = env["STRETCHKIT_HUB_RUN_DIR"]

# Only loopback: the public side (configurable-http-proxy), its API, and the hub itself.
c.JupyterHub.bind_url = f"http://127.0.0.1:{env['STRETCHKIT_HUB_PORT']}"
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{env['STRETCHKIT_HUB_API_PORT']}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{env['STRETCHKIT_HUB_PROXY_API_PORT']}"
c.ConfigurableHTTPProxy.command = [env["STRETCHKIT_HUB_PROXY"]]
c.ConfigurableHTTPProxy.pid_file = os.path.join(run, "proxy.pid")
c.JupyterHub.db_url = "sqlite:///" + os.path.join(run, "jupyterhub.sqlite")
c.JupyterHub.cookie_secret_file = os.path.join(run, "cookie_secret")
c.JupyterHub.cleanup_servers = True  # stopping the hub stops every student's server
c.JupyterHub.cleanup_proxy = True

# A class: one shared password, and only the class list may log in.
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = env["STRETCHKIT_HUB_PASSWORD"]
c.Authenticator.allowed_users = set(env["STRETCHKIT_HUB_STUDENTS"].split())

# Each student's server runs as that student, in their own home, from the shared course
# environment; it opens lesson 00 of the course that nbgitpuller placed there.
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [env["STRETCHKIT_HUB_SINGLEUSER"]]
c.Spawner.ip = "127.0.0.1"
c.Spawner.notebook_dir = "~"
c.Spawner.default_url = env.get("STRETCHKIT_HUB_DEFAULT_URL", "/lab")
# Ten servers starting at once on a small machine take a while; do not give up early.
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180
# A safety net: kernels and servers left behind stop themselves after ten idle minutes.
c.Spawner.args = [
    "--MappingKernelManager.cull_idle_timeout=600",
    "--ServerApp.shutdown_no_activity_timeout=600",
]
