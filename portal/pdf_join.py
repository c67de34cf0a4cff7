"""Tagged PDFs joined into one document, their structure trees with them (issue 42 item 4).

WeasyPrint keeps the layout of every page of a document in memory until the PDF is written: about 1.1 MB a
certificate page, so a batch of 2,000 certificates printed as one document took 2.4 GB
(`bench/certificates.py mem --batch 2000`). A long document is therefore rendered in parts of a bounded
number of pages and the parts joined here. pypdf copies the pages; it does not join the parts' structure
trees (issue 40: every PDF of the portal is tagged for screen readers), so this module does:

- every part's top structure elements become children of one new /StructTreeRoot, in order;
- the parts' parent trees (the number tree from a page's /StructParents, or an annotation's /StructParent,
  to its structure elements) are renumbered by an offset per part and joined into one;
- the catalogue keeps /MarkInfo /Marked true and the first part's /Lang, /ViewerPreferences and /RoleMap;
- the document information (its /Title, which /ViewerPreferences /DisplayDocTitle shows) is the first part's.

Each part embeds its own font subsets, so the joined file is somewhat larger than one render's.
"""

import io

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DictionaryObject,
    NameObject,
    NumberObject,
)

CATALOG_KEYS_KEPT = ("/Lang", "/ViewerPreferences")


def _numbers(tree) -> list[tuple[int, object]]:
    """The (key, value) pairs of a PDF number tree, in key order (its /Nums and its /Kids' /Nums)."""
    tree = tree.get_object()
    pairs = []
    nums = tree.get("/Nums")
    if nums is not None:
        nums = nums.get_object()
        pairs += [(int(nums[i]), nums[i + 1]) for i in range(0, len(nums), 2)]
    for kid in tree.get("/Kids", ()):
        pairs += _numbers(kid)
    return sorted(pairs, key=lambda pair: pair[0])


def join_tagged(parts: list[bytes]) -> bytes:
    """One PDF of the pages of ``parts`` in order, with one structure tree over them all."""
    if len(parts) == 1:
        return parts[0]
    writer = PdfWriter()
    root = DictionaryObject({NameObject("/Type"): NameObject("/StructTreeRoot")})
    root_ref = writer._add_object(root)
    kids = ArrayObject()
    nums = ArrayObject()
    role_map = None
    offset = 0
    for index, data in enumerate(parts):
        reader = PdfReader(io.BytesIO(data))
        catalog = reader.trailer["/Root"]
        first_page = len(writer.pages)
        writer.append(reader, import_outline=False)
        if index == 0:
            for key in CATALOG_KEYS_KEPT:
                if key in catalog:
                    writer.root_object[NameObject(key)] = catalog[key].clone(writer)
            if reader.metadata:
                # the title a reader's window and a screen reader announce (PDF/UA), with the author
                writer.add_metadata(
                    {key: value for key, value in reader.metadata.items() if key != "/Producer"}
                )
        tree = catalog.get("/StructTreeRoot")
        if tree is None:
            continue
        tree = tree.get_object()
        if role_map is None and "/RoleMap" in tree:
            role_map = tree["/RoleMap"].clone(writer)
        top = tree.get("/K")
        top = [] if top is None else top.get_object()
        top = list(top) if isinstance(top, list) else [top]
        for element in top:
            # the element's parent is the part's own root: cut it before cloning, or the clone would copy
            # that root and, through it, the part's whole parent tree a second time
            element.get_object().pop("/P", None)
        for element in top:
            copy = element.get_object().clone(writer)
            copy[NameObject("/P")] = root_ref
            kids.append(copy.indirect_reference or writer._add_object(copy))
        pairs = _numbers(tree["/ParentTree"]) if "/ParentTree" in tree else []
        for key, value in pairs:
            nums.append(NumberObject(key + offset))
            nums.append(value.clone(writer) if hasattr(value, "clone") else value)
        for page, original in zip(writer.pages[first_page:], reader.pages, strict=True):
            # pypdf's copy of a page leaves /StructParents out: set from the part's page, renumbered
            if "/StructParents" in original:
                page[NameObject("/StructParents")] = NumberObject(int(original["/StructParents"]) + offset)
            for annotation in page.get("/Annots", ()):
                annotation = annotation.get_object()
                if "/StructParent" in annotation:
                    annotation[NameObject("/StructParent")] = NumberObject(
                        int(annotation["/StructParent"]) + offset
                    )
        next_key = int(tree.get("/ParentTreeNextKey", 0))
        offset += max(next_key, (pairs[-1][0] + 1) if pairs else 0)
    root[NameObject("/K")] = kids
    root[NameObject("/ParentTree")] = writer._add_object(DictionaryObject({NameObject("/Nums"): nums}))
    root[NameObject("/ParentTreeNextKey")] = NumberObject(offset)
    if role_map is not None:
        root[NameObject("/RoleMap")] = role_map
    writer.root_object[NameObject("/StructTreeRoot")] = root_ref
    writer.root_object[NameObject("/MarkInfo")] = DictionaryObject(
        {NameObject("/Marked"): BooleanObject(True)}
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
