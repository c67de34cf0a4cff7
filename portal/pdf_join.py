"""Tagged PDFs joined into one document, their structure trees with them (issue 42 item 4).

WeasyPrint keeps the layout of every page of a document in memory until the PDF is written: a batch of
2,000 certificates printed as one document took 2.4 GB (`bench/certificates.py mem --batch 2000`). A long
document is therefore rendered in parts of a bounded number of pages and the parts joined here. Copying
pages does not join the parts' structure trees (issue 40: every PDF of the portal is tagged for screen
readers), so this module does:

- every part's top structure elements become children of one new /StructTreeRoot, in order;
- the parts' parent trees (the number tree from a page's /StructParents, or an annotation's /StructParent,
  to its structure elements) are renumbered by an offset per part and joined into one;
- the catalogue keeps /MarkInfo /Marked true and the first part's /Lang, /ViewerPreferences and /RoleMap
  (and every part's /Namespaces);
- the document information (its /Title, which /ViewerPreferences /DisplayDocTitle shows) is the first part's.

The join streams: one part is open at a time. pikepdf (qpdf) parses the part; every object reachable from
its pages and its structure tree gets a new object number and is written straight to the output as qpdf
unparses it, with its indirect references renumbered (a stream with its raw, still-compressed bytes), and
the part is closed before the next one is read. The parts may come from a generator, so a part's bytes
are dropped as soon as they are joined. The same join done by qpdf itself (pikepdf's ``copy_foreign``
into one output ``Pdf``) kept every part open and a copy of each of their objects until the save: it
added about 300 MB to a batch of 2,000 certificates (bench/certificates.py mem).

The small objects (structure elements, above all) are packed into compressed object streams with a
cross-reference stream (PDF 1.5), as qpdf's ``object_stream_mode=generate`` did: a 2,000-ticket batch
was 3.6x the size without them. Each part embeds its own font subsets, so the joined file is larger
than one render's (about 2x for parts of 100 certificates).

Not carried over, as before: the parts' outlines (bookmarks) and named destinations (/Names), which the
certificates and tickets do not use.
"""

import hashlib
import io
import re
import zlib
from collections import deque
from collections.abc import Iterable, Iterator

import pikepdf

CATALOG_KEYS_KEPT = ("/Lang", "/ViewerPreferences")
# Non-stream objects packed into one compressed object stream (qpdf packs 100).
OBJECTS_PER_STREAM = 100
# The object numbers the joined file's own objects get, before any part's.
CATALOG, PAGES, STRUCT_ROOT = 1, 2, 3

# What qpdf's unparse writes that matters here: a literal string (kept as it is: "(1 0 R)" is text; qpdf
# escapes every parenthesis in one) or an indirect reference "num gen R" (renumbered). A hex string
# cannot hold an "R" and a name holds no space, so neither can be mistaken for a reference.
TOKENS = re.compile(rb"\((?:[^\\()]|\\.)*\)|(\d+) (\d+) R", re.DOTALL)


def _numbers(tree) -> list:
    """The (key, value) pairs of a PDF number tree, in key order (its /Nums and its /Kids' /Nums)."""
    pairs = []
    if "/Nums" in tree:
        nums = tree.Nums
        pairs += [(int(nums[i]), nums[i + 1]) for i in range(0, len(nums), 2)]
    for kid in tree.get("/Kids", []):
        pairs += _numbers(kid)
    return sorted(pairs, key=lambda p: p[0])


def _ref(number: int) -> bytes:
    return b"%d 0 R" % number


class Output:
    """The joined file as it is written: its header, its objects (streams at once, the others packed into
    object streams), and at the end a cross-reference stream that says where each one is."""

    def __init__(self, file, version: str):
        self.file = file
        # index = object number: (1, offset in the file) or (2, object stream's number, index in it)
        self.where: list = [(0, 0, 65535)] + [None] * STRUCT_ROOT
        self.packed: list[tuple[int, bytes]] = []
        # the binary comment line tells transfer tools the file is binary (ISO 32000-1, 7.5.2)
        file.write(b"%PDF-" + version.encode() + b"\n%\xe2\xe3\xcf\xd3\n")

    def allocate(self) -> int:
        self.where.append(None)
        return len(self.where) - 1

    def put(self, number: int, body: bytes) -> None:
        """A non-stream object: packed into the next object stream."""
        self.packed.append((number, body))
        if len(self.packed) >= OBJECTS_PER_STREAM:
            self.flush()

    def put_stream(self, number: int, dictionary: bytes, data: bytes) -> None:
        """A stream object, written at once; ``dictionary`` is its dictionary's entries without /Length."""
        self.where[number] = (1, self.file.tell(), 0)
        self.file.write(b"%d 0 obj\n<< %s /Length %d >>\nstream\n" % (number, dictionary, len(data)))
        self.file.write(data)
        self.file.write(b"\nendstream\nendobj\n")

    def flush(self) -> None:
        """The objects packed so far, written as one compressed object stream (ISO 32000-1, 7.5.7)."""
        if not self.packed:
            return
        stream = self.allocate()
        offsets, bodies, at = [], [], 0
        for index, (number, body) in enumerate(self.packed):
            self.where[number] = (2, stream, index)
            offsets.append(b"%d %d" % (number, at))
            bodies.append(body)
            at += len(body) + 1
        header = b" ".join(offsets) + b"\n"
        data = zlib.compress(header + b"\n".join(bodies) + b"\n")
        self.put_stream(
            stream, b"/Type /ObjStm /N %d /First %d /Filter /FlateDecode" % (len(bodies), len(header)), data
        )
        self.packed = []

    def finish(self, trailer: bytes) -> None:
        """The cross-reference stream (ISO 32000-1, 7.5.8) with the trailer's entries, and the file's end."""
        self.flush()
        number = self.allocate()
        start = self.file.tell()
        self.where[number] = (1, start, 0)
        missing = [n for n, entry in enumerate(self.where) if entry is None]
        if missing:
            raise RuntimeError(f"objects allocated but never written: {missing[:10]}")
        rows = b"".join(
            kind.to_bytes(1, "big") + a.to_bytes(4, "big") + b.to_bytes(2, "big") for kind, a, b in self.where
        )
        data = zlib.compress(rows)
        self.file.write(
            b"%d 0 obj\n<< /Type /XRef /Size %d /W [ 1 4 2 ] %s /Filter /FlateDecode /Length %d >>\nstream\n"
            % (number, len(self.where), trailer, len(data))
        )
        self.file.write(data)
        self.file.write(b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % start)


class Part:
    """One part being copied: its objects' new numbers, and the objects found but not written yet."""

    def __init__(self, output: Output, src: pikepdf.Pdf, special: dict):
        self.output = output
        self.src = src
        # (num, gen) in the part -> number in the joined file; the part's catalogue, /Pages nodes and
        # /StructTreeRoot map to the joined file's own (a page's /Parent, a top element's /P)
        self.numbers = dict(special)
        self.pending: deque = deque()

    def number(self, objgen: tuple[int, int]) -> int:
        """The new number of a part's object, given (and the object queued to be written) when first met."""
        number = self.numbers.get(objgen)
        if number is None:
            number = self.numbers[objgen] = self.output.allocate()
            self.pending.append(objgen)
        return number

    def _token(self, match) -> bytes:
        if match.group(1) is None:
            return match.group(0)
        return _ref(self.number((int(match.group(1)), int(match.group(2)))))

    def renumbered(self, text: bytes) -> bytes:
        return TOKENS.sub(self._token, text)

    def value(self, obj) -> bytes:
        """A value of the part (a pikepdf object, direct or indirect, or a Python scalar) as it is written
        in the joined file."""
        if isinstance(obj, pikepdf.Object) and obj.is_indirect:
            return _ref(self.number(obj.objgen))
        # an array around it: qpdf unparses a Python scalar too, and an indirect object inside as "n g R"
        return self.renumbered(pikepdf.Array([obj]).unparse(resolved=True)[2:-2])

    def write_pending(self) -> None:
        """Every object queued, and every object they reach, written to the output."""
        while self.pending:
            objgen = self.pending.popleft()
            number = self.numbers[objgen]
            obj = self.src.get_object(objgen)
            if obj is None:  # a reference to a missing object reads as null (ISO 32000-1, 7.3.10)
                self.output.put(number, b"null")
            elif isinstance(obj, pikepdf.Stream):
                data = obj.read_raw_bytes()  # as stored: still compressed, its /Filter kept
                # /Length is written by the output (the part's may even be an indirect object)
                entries = pikepdf.Dictionary({k: v for k, v in obj.stream_dict.items() if k != "/Length"})
                self.output.put_stream(number, self.renumbered(entries.unparse()[2:-2]), data)
            else:
                self.output.put(number, self.renumbered(obj.unparse(resolved=True)))


class Joined:
    """The state of a join across the parts: the pages and structure elements so far, the parent tree."""

    def __init__(self, file, first: pikepdf.Pdf):
        version = max(first.pdf_version, "1.5")  # object streams are PDF 1.5
        self.output = Output(file, version)
        self.pages: list[int] = []
        self.kids: list[bytes] = []
        self.nums: list[bytes] = []
        self.namespaces: list[bytes] = []
        self.offset = 0
        self.role_map: bytes | None = None
        self.catalog: list[bytes] = []
        self.info: list[bytes] = []

    def add(self, src: pikepdf.Pdf, first: bool) -> None:
        """Every page of ``src`` and its structure tree, written to the output."""
        special = {src.Root.objgen: CATALOG}
        tree = src.Root.get("/StructTreeRoot")
        if tree is not None and tree.is_indirect:
            special[tree.objgen] = STRUCT_ROOT
        # The part's /Pages nodes are the joined file's one /Pages node (a page's /Parent). What a page
        # inherits from them (/Resources, /MediaBox...: ISO 32000-1, 7.7.3.4) qpdf has already copied onto
        # the page when it listed the pages (tests/portal/test_pdf_join_stream.py).
        for page in src.pages:
            node = page.obj.get("/Parent")
            while node is not None:
                special[node.objgen] = PAGES
                node = node.get("/Parent")
        part = Part(self.output, src, special)
        offset = self.offset
        for page in src.pages:
            # the part is ours alone: its keys are renumbered in place before the page is written
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + offset
            for annot in page.obj.get("/Annots", []):
                if "/StructParent" in annot:
                    annot.StructParent = int(annot.StructParent) + offset
            self.pages.append(part.number(page.obj.objgen))
        if first:
            for key in CATALOG_KEYS_KEPT:
                if key in src.Root:
                    self.catalog.append(pikepdf.Name(key).unparse() + b" " + part.value(src.Root[key]))
            # the title a reader's window and a screen reader announce (PDF/UA), with the author
            for key, value in src.docinfo.items():
                if key != "/Producer":
                    self.info.append(pikepdf.Name(key).unparse() + b" " + part.value(value))
        if tree is not None:
            self._add_tree(part, tree, offset)
        part.write_pending()

    def _add_tree(self, part: Part, tree, offset: int) -> None:
        if self.role_map is None and "/RoleMap" in tree:
            self.role_map = part.value(tree.RoleMap)
        for namespace in tree.get("/Namespaces", []):
            self.namespaces.append(part.value(namespace))
        top = tree.get("/K")
        top = [] if top is None else (list(top) if isinstance(top, pikepdf.Array) else [top])
        for element in top:
            if not element.is_indirect:  # its /P, the part's root, is renumbered to the joined root
                element = part.src.make_indirect(element)
            self.kids.append(part.value(element))
        pairs = _numbers(tree.ParentTree) if "/ParentTree" in tree else []
        for key, value in pairs:
            self.nums.append(b"%d %s" % (key + offset, part.value(value)))
        next_key = int(tree.get("/ParentTreeNextKey", 0))
        self.offset += max(next_key, (pairs[-1][0] + 1) if pairs else 0)

    def finish(self, file_id: bytes) -> None:
        """The joined file's own objects (structure root, pages, catalogue, information) and its end."""
        out = self.output
        parent_tree = out.allocate()
        out.put(parent_tree, b"<< /Nums [ " + b" ".join(self.nums) + b" ] >>")
        root = [
            b"/Type /StructTreeRoot /K [ " + b" ".join(self.kids) + b" ]",
            b"/ParentTree " + _ref(parent_tree),
            b"/ParentTreeNextKey %d" % self.offset,
        ]
        if self.role_map is not None:
            root.append(b"/RoleMap " + self.role_map)
        if self.namespaces:
            root.append(b"/Namespaces [ " + b" ".join(self.namespaces) + b" ]")
        out.put(STRUCT_ROOT, b"<< " + b" ".join(root) + b" >>")
        kids = b" ".join(_ref(page) for page in self.pages)
        out.put(PAGES, b"<< /Type /Pages /Kids [ %s ] /Count %d >>" % (kids, len(self.pages)))
        catalog = [b"/Type /Catalog", b"/Pages " + _ref(PAGES), b"/StructTreeRoot " + _ref(STRUCT_ROOT)]
        catalog += [b"/MarkInfo << /Marked true >>", *self.catalog]
        out.put(CATALOG, b"<< " + b" ".join(catalog) + b" >>")
        info = out.allocate()
        out.put(info, b"<< " + b" ".join(self.info) + b" >>")
        hex_id = file_id.hex().encode()
        out.finish(b"/Root %s /Info %s /ID [ <%s> <%s> ]" % (_ref(CATALOG), _ref(info), hex_id, hex_id))


def _one_by_one(head: list, rest: Iterator) -> Iterator[bytes]:
    """The parts in order, none kept here once handed out."""
    while head:
        yield head.pop(0)
    yield from rest


def join_tagged(parts: Iterable[bytes]) -> bytes:
    """One PDF of the pages of ``parts`` in order, with one structure tree over them all.

    ``parts`` may be a generator (each part rendered when the previous one is joined): at most one part is
    held here at a time (but the first, until the second is there: a single part is returned as it is).
    """
    parts = iter(parts)
    head = [part for part in (next(parts, None), next(parts, None)) if part is not None]
    if not head:
        raise ValueError("no PDF to join")
    if len(head) == 1:
        return head[0]
    buffer = io.BytesIO()
    digest = hashlib.md5(usedforsecurity=False)  # the file's /ID: the same parts, the same file
    joined = None
    # no enumerate(): its reused result tuple would hold a part while the next one is rendered
    for data in _one_by_one(head, parts):
        digest.update(data)
        with pikepdf.open(io.BytesIO(data)) as src:
            first = joined is None
            if first:
                joined = Joined(buffer, src)
            joined.add(src, first=first)
        del data, src  # the part is joined: nothing of it is kept while the next is rendered
    joined.finish(digest.digest())
    return buffer.getvalue()
