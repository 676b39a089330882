"""What a town office sends to a print shop: A4 PDF sheets of QR labels,
boards and cards (sheets.py), and one code's QR as SVG or PNG (qr_codes.py).

The PDFs are made with fpdf2 (pure Python, kept up): it subsets and embeds an
OpenType font with CFF outlines, which the Noto/Source Han CJK fonts are and
ReportLab cannot embed, and writes the text with a ToUnicode map, so it is real
text a reader can search and copy.

The font is Noto Sans SC Regular (思源黑体, version 2.004, by Adobe for Google),
under the SIL Open Font License 1.1, which allows embedding it in documents and
bundling it with software. It comes from the PyPI package pylopdf-fonts-zh-cn,
pinned in pyproject.toml, so it travels wherever the other dependencies go: the
virtualenv on a laptop and CI, and the Lambda package Chalice builds from
functions/requirements.txt. Only the subset of glyphs a sheet uses is in its
PDF (a few hundred kilobytes at most), never a font the reader must have.
"""
