"""Small real files of each kind, written on the fly for the import tests."""

from __future__ import annotations

from pathlib import Path


def write_pdf(path: Path, lines: list[str], content_extra: str = "") -> Path:
    """A minimal but valid one-page PDF with a text layer (Helvetica, one line per entry);
    `content_extra` is appended to the page's content stream as it is."""
    text_ops = " ".join(
        f"BT /F1 12 Tf 72 {720 - 16 * i} Td ({line}) Tj ET" for i, line in enumerate(lines)
    ) + content_extra
    stream = text_ops.encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def write_docx(path: Path, paragraphs: list[str], title: str = "") -> Path:
    import docx

    document = docx.Document()
    if title:
        document.core_properties.title = title
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Kremlin"
    table.rows[0].cells[1].text = "Moscow"
    document.save(str(path))
    return path


NEWS_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>Putin rejects claims | Example News</title>
<meta name="author" content="Jennifer Hicks"></head>
<body><nav><a href="/">Home</a> | <a href="/world">World</a> | <a href="/sport">Sport</a></nav>
<article><h1>Putin rejects claims of ‘isolation’</h1>
<p>At the BRICS Summit held in Kazan, Russia, on October 24, Putin underscored Moscow’s
openness to negotiations, pushing back against accusations of self-imposed isolation.</p>
<p>“When we hear that I avoid talking to some European leaders, let me tell you: that is a
lie,” Putin stated at the press conference that closed the summit on Thursday evening.</p>
</article>
<section id="comments" class="comments"><div class="comment"><p>Finally some balanced
reporting about the summit and what was said there.</p></div>
<div class="comment"><p>This is pure propaganda from start to finish and everybody knows
it.</p></div></section>
<footer>Cookie settings · Privacy · Contact</footer></body></html>
"""
