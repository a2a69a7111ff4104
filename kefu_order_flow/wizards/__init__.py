from . import kefu_return_wizard
from . import kefu_arrival_wizard
from . import kefu_resolve_wizard
from . import kefu_grade_review
from . import kefu_step_wizard
from . import kefu_send_wizard
from . import kefu_request_wizard
from . import kefu_money_wizard
