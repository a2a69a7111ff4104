from . import cn_amount
