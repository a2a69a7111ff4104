from . import cn_amount
from . import kefu_dates
from . import kefu_fingerprint
from . import kefu_qr
