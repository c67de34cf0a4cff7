"""Fixed numbers and choices of certificates, each regulatory one citing its seed clause."""

from django.utils.translation import gettext_lazy as _

from certification.constants import CANDIDATE_NUMBER_LENGTH
from portal import levels

# --- The 22-character certificate code (seed 004 附件5) -------------------------------------------
CODE_LENGTH = 22  # seed 004 附件5: 1 位英文字母 + 21 位阿拉伯数字
KIND_EMPLOYER = "Y"  # seed 004 附件5 一: Y 表示用人单位
KIND_SOCIAL = "S"  # seed 004 附件5 一: S 表示社会培训评价组织
KINDS = {KIND_EMPLOYER: _("用人单位"), KIND_SOCIAL: _("社会培训评价组织")}
ROUTE_DIGITS = 4  # seed 004 附件5 二: 第 2-5 位备案途径代码
ROUTE_PROVINCE_FIRST = "0000"  # seed 004 附件5 二: 先行向省厅备案的固定取值 0000（部赋码 0001-9999）
PROVINCE_DIGITS = 2  # seed 004 附件5 三: 第 6-7 位省级代码（GB/T 2260）
INSTITUTION_DIGITS = 6  # seed 004 附件5 四: 第 8-13 位机构序列码，由省厅确定
YEAR_DIGITS = 2  # seed 004 附件5 五: 第 14-15 位核发年份后两位
LEVEL_MIN, LEVEL_MAX = 1, 5  # seed 004 附件5 六: 第 16 位等级代码 1-5
SERIAL_DIGITS = 6  # seed 004 附件5 七: 第 17-22 位证书序列码
SERIAL_MIN, SERIAL_MAX = 1, 999_999  # seed 004 附件5 七: 按年度分等级从 000001-999999 依次顺序取值

# --- The 职业资格证书 of an enterprise 职业技能鉴定 (seed 002 附件1 四(六)) ----------------------------------
# seed 002 附件1 四(六): 鉴定成绩合格的，由市人社局核发职业资格证书. The portal's other certificates are the
# 职业技能等级证书 of seed 004; Certificate.kind tells them apart.
CERTIFICATE_KIND_GRADE = "grade"  # 职业技能等级证书 (seed 004 附件5, 附件6)
CERTIFICATE_KIND_QUALIFICATION = "qualification"  # 职业资格证书 (seed 002 附件1 四(六))
# seed 002 附件1 四(六): the issuer printed on a 职业资格证书 is the 市人社局, not the enterprise.
QUALIFICATION_ISSUER_NAME = "天津市人力资源和社会保障局"
# The notices give a numbering rule only for the 等级证书 (seed 004 附件5). The 职业资格证书 number is the
# portal's own rule (certificates/README.md "The 职业资格证书 number"): the same 22-character shape, one
# letter and 21 digits, so every reader of a code takes it unchanged, with parts fixed for the bureau:
#     Z 0000 12 000000 26 3 000001
QUALIFICATION_LETTER = "Z"  # 职业资格: never Y or S (seed 004 附件5 一), so never equal to a 等级证书 code
QUALIFICATION_ROUTE = "0000"  # no filing route: the bureau issues it itself (the place of 附件5 二)
QUALIFICATION_PROVINCE = "12"  # 天津市, GB/T 2260: the bureau's province (the place of 附件5 三)
QUALIFICATION_INSTITUTION = "000000"  # the bureau, not an institution: no filed sequence is 000000
# Year, level and serial sit where the 等级证书 has them; the serial runs per year and level from
# SERIAL_MIN to SERIAL_MAX as in seed 004 附件5 七, on its own counter row (certificates/allocation.py).

# seed 001 第六条 / seed 004 附件5 六: level code -> name printed on the certificate (one table, portal).
LEVEL_NAMES = levels.LEVEL_NAMES

NO_WORK_TYPE = "——"  # DOMAIN.md "Certificate layout": 工种为空时显示“——”

# --- Certificate layout (seed 004 附件6 职业技能等级证书制作说明) --------------------------------------
PAGE_SIZE = "A4 landscape"  # seed 004 附件6 1: 边框居横排 A4 纸（210mm×297mm）满幅
FRAME_HEIGHT_MM, FRAME_WIDTH_MM = 188, 269  # seed 004 附件6 1: 188mm×269mm
FRAME_LINE_PT = 2.25  # seed 004 附件6 1: 粗实线 2.25 磅
TITLE_PT = 30  # seed 004 附件6 2: 证书名称 30 磅 华文楷体
BODY_PT = 16  # seed 004 附件6 2/3: 正文、基本信息 16 磅 华文楷体 单倍行距
URL_PT = 14  # seed 004 附件6 2: 网址部分 14 磅 华文楷体
PHOTO_WIDTH_MM, PHOTO_HEIGHT_MM = 35, 49  # seed 004 附件6 3: 个人照片 2 寸彩色（白底）= 35mm×49mm
QR_MM = 30  # seed 004 附件6 3: 二维码 30mm×30mm
# Not a regulatory number: the QR data mask is fixed instead of chosen per code (see printing.qr_code).
# Mask 2 (modules with column % 3 == 0 inverted) came closest to the best mask on verification URLs:
# on 300 signed URLs its ISO 18004 penalty was on average 4% (at most 20%) above the lowest one.
QR_MASK = 2
QR_ERROR_LEVEL = "m"  # 15% of the code may be damaged; segno raises it when the same version allows
# seed 001 第八条: 证书信息可通过技能人才评价证书全国联网查询系统查询
NATIONAL_LOOKUP_URL = "http://jndj.osta.org.cn/"
# The ministry's public query of skill-talent evaluation certificates (技能人才评价证书全国联网查询),
# linked from the lookup page (issue 29 item 11f).
NATIONAL_QUERY_URL = "https://zscx.osta.org.cn/"

# --- Photos -----------------------------------------------------------------------------------------
PHOTO_MAX_BYTES = 5 * 1024 * 1024  # our own limit for a 2-inch photo upload
# Stored photos are re-encoded at 300 dpi for 35x49 mm: 413 x 579 pixels.
PHOTO_PIXELS = (413, 579)

# --- Issuance ---------------------------------------------------------------------------------------
ISSUE_TASK_TIME_LIMIT = 60 * 60  # a 1,000-candidate batch issues in seconds; an hour is the ceiling
ISSUE_TASK_SOFT_TIME_LIMIT = ISSUE_TASK_TIME_LIMIT - 60
# A running batch with no progress for this long is considered abandoned by a dead worker and re-queued.
STALE_BATCH_MINUTES = 10
# Not from the notices: an export of more certificates than this is written by the worker with a progress
# bar (issue 39 item 4; some 20,000 rows a second, so the page's own download stays within a few seconds).
EXPORT_BACKGROUND_ROWS = 20_000

# --- Public lookup, verification, revocation and export (issue 8) ----------------------------------
# seed 001 第八条 / seed 004 四(四)2: certificate data are open to free public query. None of the numbers
# below is regulatory: they are our own protections against scraping.
LOOKUP_RATE_SETTING = "CERTIFICATE_LOOKUP_RATE"  # settings name, e.g. CERTIFICATE_LOOKUP_RATE = "20/m"
LOOKUP_RATE_DEFAULT = "20/m"  # per IP, shared by the lookup page, QR verification, download and the API
LOOKUP_STATS_DAYS = 30  # the staff page shows this many days of counts
LOOKUP_BURST_WINDOW_DAYS = 7  # bursts are searched for in this many recent days
LOOKUP_BURST_PER_HOUR = 100  # one address asking this often within an hour is a burst
LOOKUP_BURST_DAY_FACTOR = 3  # a day with this many times the median of the days before is a burst
LOOKUP_BURST_DAY_MINIMUM = 50  # ... and at least this many requests (quiet days are not bursts)
# The lookup log is kept this long, then deleted by the daily task (lookup_log.purge): it holds hashed
# addresses only, but a busy portal writes a million rows a day, and the staff pages look back 30 days.
LOOKUP_LOG_RETENTION_SETTING = "CERTIFICATE_LOOKUP_LOG_RETENTION_DAYS"
LOOKUP_LOG_RETENTION_DAYS_DEFAULT = 180
LOOKUP_LOG_PURGE_CHUNK = 10_000  # rows per DELETE: short statements, no long lock on a busy table
REVOCATION_REASON_MIN_LENGTH = 4  # a reason must say something ("弄虚作假" is four characters)
# Issue 30, finding 4: the public answer shows the ID number's first 6 and last 4 characters, so only the
# birth date is unknown: about 2,000 dates of a plausible age fit the check digit. The full-ID gates (the
# e-certificate download, the lookup by ID number) allow this many wrong ID numbers per certificate and
# per person (name + the shown part of the ID number) in GUESS_WINDOW_SECONDS, counted across all
# addresses, then pause for the rest of the window: 2,000 candidates take on average 100 days, at most
# 200 (certificates/README.md, "Threat model"). Ten leaves room for a holder's own typos.
GUESSES_PER_CERTIFICATE = 10
GUESSES_PER_PERSON = 10
GUESS_WINDOW_SECONDS = 24 * 60 * 60  # from the first wrong try

# The annual statistics page (issue 38 item 5): the years its selector offers, back from this year (the
# portal's choice; no clause sets it).
STATISTICS_YEARS = 10

# A holder's document number as stored (portal.identifiers.check_document; issue 43): 18 for a resident ID,
# up to 23 for a foreign passport with its 3-letter issuing country, as certification stores it.
DOCUMENT_NUMBER_LENGTH = CANDIDATE_NUMBER_LENGTH
