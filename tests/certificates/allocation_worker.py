"""Run as its own process (own PostgreSQL connection): issues COUNT certificates through
``allocate_code`` at START_AT (a shared wall-clock instant, so the processes collide) and prints the
codes as JSON. Used by test_allocation_concurrency.py. The prefix Z,0000,12,000000 issues the bureau's
职业资格证书 through ``allocate_qualification_code`` (the same counter row lock).

    python tests/certificates/allocation_worker.py KIND,ROUTE,PROVINCE,SEQ YEAR LEVEL COUNT OCCUPATION_ID INSTITUTION_ID TAG START_AT
"""

import json
import os
import sys
import time
from pathlib import Path


def main(argv):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from django.db import transaction

    from certificates.allocation import allocate_code, allocate_qualification_code
    from certificates.codes import QUALIFICATION_PREFIX
    from certificates.models import Certificate

    prefix = tuple(argv[0].split(","))
    qualification = prefix == QUALIFICATION_PREFIX
    year, level, count, occupation_id, institution_id = (int(a) for a in argv[1:6])
    tag, start_at = argv[6], float(argv[7])
    while time.time() < start_at:
        time.sleep(0.002)
    codes = []
    for i in range(count):
        with transaction.atomic():
            code = (
                allocate_qualification_code(year, level)
                if qualification
                else allocate_code(prefix, year, level)
            )
            Certificate.objects.create(
                kind=Certificate.Kind.QUALIFICATION if qualification else Certificate.Kind.GRADE,
                code=str(code),
                serial=code.serial,
                year=year,
                level=level,
                holder_name="并发测试",
                sex="M",
                id_number="120101199001010005",
                occupation_id=occupation_id,
                occupation_name="中式烹调师",
                occupation_code="4-03-02-01",
                institution_id=institution_id,
                institution_name="并发测试单位",
                issue_date=f"{year}-05-12",
                photo="certificates/photos/none.jpg",
                source_key=f"{tag}:{i}",
            )
        codes.append(str(code))
    print(json.dumps(codes))


if __name__ == "__main__":
    main(sys.argv[1:])
