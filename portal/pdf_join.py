"""Tagged PDFs joined into one document, their structure trees with them (issue 42 item 4).

WeasyPrint keeps the layout of every page of a document in memory until the PDF is written: a batch of
2,000 certificates printed as one document took 2.4 GB (`bench/certificates.py mem --batch 2000`). A long
document is therefore rendered in parts of a bounded number of pages and the parts joined here, with
pikepdf (qpdf): it copies pages and every object they reach once per part, in C++, about 6x faster and with
less than half the memory of the same join in pypdf (measured: 2.2 s and +300 MB against 13.5 s and
+730 MB for 2,000 certificates). Copying pages does not join the parts' structure trees (issue 40: every
PDF of the portal is tagged for screen readers), so this module does:

- every part's top structure elements become children of one new /StructTreeRoot, in order;
- the parts' parent trees (the number tree from a page's /StructParents, or an annotation's /StructParent,
  to its structure elements) are renumbered by an offset per part and joined into one;
- the catalogue keeps /MarkInfo /Marked true and the first part's /Lang, /ViewerPreferences and /RoleMap;
- the document information (its /Title, which /ViewerPreferences /DisplayDocTitle shows) is the first part's.

Each part embeds its own font subsets, so the joined file is larger than one render's (about 2x for
parts of 100 certificates).
"""

import io

import pikepdf
from pikepdf import Array, Dictionary, Name

CATALOG_KEYS_KEPT = ("/Lang", "/ViewerPreferences")


def _numbers(tree) -> list:
    """The (key, value) pairs of a PDF number tree, in key order (its /Nums and its /Kids' /Nums)."""
    pairs = []
    if "/Nums" in tree:
        nums = tree.Nums
        pairs += [(int(nums[i]), nums[i + 1]) for i in range(0, len(nums), 2)]
    for kid in tree.get("/Kids", []):
        pairs += _numbers(kid)
    return sorted(pairs, key=lambda p: p[0])


def _copy(out, obj):
    """A copy in out of an object of another PDF: indirect ones through qpdf's foreign copier (one copy each,
    references to pages already copied kept), direct ones by copying what they hold."""
    if isinstance(obj, (Array, Dictionary)) and not obj.is_indirect:
        if isinstance(obj, Array):
            return Array([_copy(out, item) for item in obj])
        return Dictionary({key: _copy(out, value) for key, value in obj.items()})
    if isinstance(obj, (Array, Dictionary, pikepdf.Stream)):
        return out.copy_foreign(obj)
    return obj


def join_tagged(parts: list[bytes]) -> bytes:
    """One PDF of the pages of ``parts`` in order, with one structure tree over them all."""
    if len(parts) == 1:
        return parts[0]
    out = pikepdf.new()
    root = out.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    kids = Array()
    nums = Array()
    offset = 0
    role_map = None
    for index, data in enumerate(parts):
        src = pikepdf.open(io.BytesIO(data))
        first = len(out.pages)
        out.pages.extend(src.pages)
        if index == 0:
            for key in CATALOG_KEYS_KEPT:
                if key in src.Root:
                    out.Root[key] = _copy(out, src.Root[key])
            # the title a reader's window and a screen reader announce (PDF/UA), with the author
            for key, value in src.docinfo.items():
                if key != "/Producer":
                    out.docinfo[key] = value
        tree = src.Root.get("/StructTreeRoot")
        if tree is None:
            continue
        if role_map is None and "/RoleMap" in tree:
            role_map = _copy(out, tree.RoleMap)
        top = tree.get("/K")
        top = [] if top is None else (list(top) if isinstance(top, Array) else [top])
        for element in top:
            # the element's parent is the part's own root: cut it before copying, or the copy would take
            # that root and, through it, the part's whole parent tree a second time
            if "/P" in element:
                del element["/P"]
        for element in top:
            copy = _copy(out, element)
            copy.P = root
            kids.append(copy)
        pairs = _numbers(tree.ParentTree) if "/ParentTree" in tree else []
        for key, value in pairs:
            nums.append(key + offset)
            nums.append(_copy(out, value))
        for page, original in zip(out.pages[first:], src.pages, strict=True):
            if "/StructParents" in original.obj:
                page.obj.StructParents = int(original.obj.StructParents) + offset
            for annot in page.obj.get("/Annots", []):
                if "/StructParent" in annot:
                    annot.StructParent = int(annot.StructParent) + offset
        next_key = int(tree.get("/ParentTreeNextKey", 0))
        offset += max(next_key, (pairs[-1][0] + 1) if pairs else 0)
    root.K = kids
    root.ParentTree = out.make_indirect(Dictionary(Nums=nums))
    root.ParentTreeNextKey = offset
    if role_map is not None:
        root.RoleMap = role_map
    out.Root.StructTreeRoot = root
    out.Root.MarkInfo = Dictionary(Marked=True)
    buf = io.BytesIO()
    # object streams: the parts' many small structure elements packed and compressed (a 2,000-ticket batch
    # was 3.6x the size of one render without them)
    out.save(buf, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return buf.getvalue()
