"""The course's illustrations (SVG files drawn by code: ``make figures`` redraws them).

This folder ships inside the package as ``stretchkit.illustrations`` (a build-time mapping in
pyproject.toml's ``[tool.setuptools.package-dir]``), so editable installs, the wheel and the
site read the same files with :mod:`importlib.resources` and no lesson needs matplotlib.
"""
