"""One code's QR symbol (segno), as SVG and PNG for a single download, and as the
runs of dark modules a PDF sheet draws as filled rectangles."""

import io

import segno

from chalicelib.domain.qr_tokens import QR_ERROR

# The white margin the QR standard asks for around a symbol, in modules.
QUIET_ZONE = 4


def symbol(url: str) -> segno.QRCode:
    # segno raises the level above M where the same version has room for it:
    # a board that weathers keeps scanning longer, at no cost in size.
    return segno.make(url, error=QR_ERROR, micro=False)


def svg(url: str, scale: int = 10) -> bytes:
    out = io.BytesIO()
    symbol(url).save(out, kind="svg", scale=scale, border=QUIET_ZONE)
    return out.getvalue()


def png(url: str, scale: int = 10) -> bytes:
    out = io.BytesIO()
    symbol(url).save(out, kind="png", scale=scale, border=QUIET_ZONE)
    return out.getvalue()


def dark_runs(code: segno.QRCode) -> list[tuple[int, int, int]]:
    """(column, row, length) of every horizontal run of dark modules: a
    rectangle for each run is half as many shapes as one for each module."""
    runs = []
    for row, modules in enumerate(code.matrix_iter(scale=1, border=0)):
        start = None
        for column, dark in enumerate((*modules, False)):
            if dark and start is None:
                start = column
            elif not dark and start is not None:
                runs.append((start, row, column - start))
                start = None
    return runs
