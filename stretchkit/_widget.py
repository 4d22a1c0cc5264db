"""What every stretchkit widget shares: a stable text repr, a readable static fallback, and
where its front end lives (``static/``, with the style tokens every widget's CSS starts from).

ipywidgets' default repr carries a memory address, which breaks strict nbval; and where
widgets cannot render (GitHub, nbviewer, exported HTML) a reader should still see text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

#: The widgets' front ends: each one's ES module and stylesheet, and the shared tokens.
STATIC = Path(__file__).parent / "static"


def stylesheet(name: str) -> str:
    """Widget stylesheet ``name`` after ``tokens.css``, the --sk-* tokens written once for all."""
    return "\n".join((STATIC / css).read_text(encoding="utf-8") for css in ("tokens.css", name))


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
