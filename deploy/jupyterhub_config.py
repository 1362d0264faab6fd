"""JupyterHub's configuration for cptrack's team server (``cptrack hub`` starts it).

Every setting comes from the environment (the list, with defaults, is in
``cptrack.cli.hub_config.HUB_SETTINGS`` and docs/deploy.md): set them in the service manager
(deploy/cptrack-hub.service) rather than editing this file.
"""

from cptrack.cli.hub_config import configure

c = get_config()  # noqa: F821 (JupyterHub defines it when it reads this file)
configure(c)
