"""Small PDF files for the demo's documents (meeting notices and minutes, research outputs), so
that a newcomer's download opens a document rather than nothing.

Written by hand rather than with a PDF library (the project has none, and the demo needs one
page of text): the text is set in STSong-Light, one of the CJK fonts every PDF reader provides
(Adobe-GB1, encoding UniGB-UCS2-H), so nothing is embedded and Chinese reads as it is.
"""

from __future__ import annotations

FONT = (
    b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
    b"/DescendantFonts [6 0 R] >>"
)
CID_FONT = (
    b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
    b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> "
    # Chinese full width; the Latin letters and digits (both of GB1's ranges) half width
    b"/DW 1000 /W [1 95 500 814 939 500] /FontDescriptor 7 0 R >>"
)
DESCRIPTOR = (
    b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 "
    b"/FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 "
    b"/CapHeight 880 /StemV 93 >>"
)


def _text(line: str) -> bytes:
    """A line as a PDF hex string of UTF-16BE code units (what UniGB-UCS2-H reads)."""
    return b"<" + line.encode("utf-16-be").hex().upper().encode() + b">"


def demo_pdf(title: str, lines: list[str]) -> bytes:
    """One A4 page: ``title`` in large type, then ``lines``."""
    ops = [b"BT", b"/F1 20 Tf", b"72 760 Td", _text(title) + b" Tj", b"/F1 12 Tf"]
    for line in lines:
        ops += [b"0 -28 Td", _text(line) + b" Tj"]
    ops.append(b"ET")
    content = b"\n".join(ops)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        FONT,
        CID_FONT,
        DESCRIPTOR,
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
