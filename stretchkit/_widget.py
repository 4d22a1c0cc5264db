"""What every stretchkit widget shares: a stable text repr and a readable static fallback.

ipywidgets' default repr carries a memory address, which breaks strict nbval; and where
widgets cannot render (GitHub, nbviewer, exported HTML) a reader should still see text.
"""

from __future__ import annotations

from typing import Any


class StaticFallback:
    """Mixin for widgets: text/plain is ``repr(self)``, text/html is ``_fallback_html()``.

    The widget view entry stays, so JupyterLab still renders the live widget.
    """

    def _fallback_html(self) -> str:
        raise NotImplementedError

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        bundle: Any = super()._repr_mimebundle_(**kwargs)  # type: ignore[misc]
        data: dict[str, Any] = bundle[0] if isinstance(bundle, tuple) else bundle
        data["text/plain"] = repr(self)
        data["text/html"] = self._fallback_html()
        return bundle
